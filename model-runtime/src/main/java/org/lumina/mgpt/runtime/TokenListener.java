package org.lumina.mgpt.runtime;

/**
 * Receives a generation's progress; every method is an optional no-op default. Called on the
 * generating thread, between decoder steps: keep it quick, and hand UI work to another thread.
 * The runtime never prints: warnings arrive here.
 */
public interface TokenListener {

	/** A listener that ignores everything. */
	TokenListener NONE = new TokenListener() {};

	/**
	 * A generated token (the stop token is not reported).
	 *
	 * @param index 0-based index among the generated tokens
	 */
	default void onToken(final int token, final int index) {}

	/**
	 * An end-of-line completed a row of a generated image.
	 *
	 * @param imageIndex 0-based index of the image among those the generation started
	 * @param row the 0-based row just completed
	 * @param rowsTotal the image's latent rows
	 */
	default void onImageRow(final int imageIndex, final int row, final int rowsTotal) {}

	/**
	 * Called after every step.
	 *
	 * @param generated tokens generated so far (the stop token included)
	 * @param total {@link GenerationParams#maxNewTokens()}, the most there can be
	 */
	default void onProgress(final int generated, final int total) {}

	/** Something the user should know that does not stop the generation (e.g. past max_positions). */
	default void onWarning(final String message) {}
}
