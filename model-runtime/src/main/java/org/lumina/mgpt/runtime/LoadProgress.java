package org.lumina.mgpt.runtime;

/**
 * Watches {@link Model#open(java.nio.file.Path, ModelOptions, LoadProgress)}: a large bundle takes
 * tens of seconds to load (checksums, then one ONNX Runtime session per graph), so the caller is
 * told when each phase starts and may cancel between phases. Called on the loading thread; keep
 * it quick.
 */
public interface LoadProgress {

	/** Reports nothing and never cancels. */
	LoadProgress NONE = (phase, index, count) -> {};

	/**
	 * A phase starts.
	 *
	 * @param phase what runs now, e.g. {@code "loading decoder.onnx"}
	 * @param index 1-based number of this phase
	 * @param count how many phases this load has
	 */
	void phase(String phase, int index, int count);

	/**
	 * Asked before each phase; {@code true} stops the load, frees what it opened and makes
	 * {@code open} throw {@link java.util.concurrent.CancellationException}.
	 */
	default boolean isCancelled() {
		return false;
	}
}
