package org.lumina.mgpt.plugin.batch;

import java.nio.file.Path;

/**
 * Hears a batch's progress: each input, the phases within one (planes of a stack, tokens) and
 * notes. Called on the batch's thread; keep it quick. Conveniences are no-ops.
 */
public interface BatchListener {

	/** No progress reports. */
	BatchListener NONE = (index, total, file) -> {};

	/**
	 * An input starts.
	 *
	 * @param index 0-based position among the inputs
	 * @param total number of inputs
	 * @param file the input, or {@code null} for a task without input
	 */
	void onInput(int index, int total, Path file);

	/**
	 * Progress within the current input.
	 *
	 * @param phase what runs now, e.g. {@code "depth: plane 2/3: generating"}
	 * @param done units done in this phase (tokens, planes)
	 * @param total units in this phase (0 when unknown)
	 */
	default void onProgress(final String phase, final int done, final int total) {}

	/** Something worth saying that is not an error (a skipped file, a resumed result). */
	default void onNote(final String message) {}
}
