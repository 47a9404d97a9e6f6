package org.lumina.mgpt.plugin.core;

/**
 * Receives the progress of a {@link TaskRunner} run, on the running thread; keep it quick.
 * Adapters turn it into a SciJava {@code StatusService}, an ImageJ status bar or stderr lines.
 */
@FunctionalInterface
public interface Progress {

	/** Ignores everything. */
	Progress NONE = (phase, done, total) -> {};

	/**
	 * @param phase what runs now, e.g. {@code "depth: plane 2/3: generating"}
	 * @param done units done in this phase (tokens, planes)
	 * @param total units in this phase (the most there can be; 0 when unknown)
	 */
	void update(String phase, int done, int total);

	/**
	 * A row of the answer image was completed (between token updates of the same phase).
	 *
	 * @param done latent rows generated so far
	 * @param total latent rows of the image
	 */
	default void imageRows(final int done, final int total) {}
}
