package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.lumina.mgpt.plugin.batch.BatchListener;

/**
 * The progress of {@code lumina run} on stderr: one line per input, one per new phase within it
 * (plane of a stack, generating, decoding) and the notes (skipped files); nothing when quiet.
 */
final class BatchProgressPrinter implements BatchListener {

	private final PrintWriter err;
	private final boolean quiet;
	private String lastPhase = "";

	BatchProgressPrinter(final PrintWriter err, final boolean quiet) {
		this.err = err;
		this.quiet = quiet;
	}

	/**
	 * @return this printer for a runner of one item that is item {@code index} of {@code total}
	 *         overall (text to image runs one runner per seed)
	 */
	BatchListener numbered(final int index, final int total) {
		final BatchProgressPrinter printer = this;
		return new BatchListener() {

			@Override
			public void onInput(final int i, final int n, final Path file) {
				printer.onInput(index, total, file);
			}

			@Override
			public void onProgress(final String phase, final int done, final int all) {
				printer.onProgress(phase, done, all);
			}

			@Override
			public void onNote(final String message) {
				printer.onNote(message);
			}
		};
	}

	// -- BatchListener methods --

	@Override
	public void onInput(final int index, final int total, final Path file) {
		lastPhase = "";
		if (!quiet) err.println("run: [" + (index + 1) + "/" + total + "] " + file);
	}

	@Override
	public void onProgress(final String phase, final int done, final int total) {
		if (quiet || phase.equals(lastPhase)) return;
		lastPhase = phase;
		err.println("run:   " + phase);
	}

	@Override
	public void onNote(final String message) {
		if (!quiet) err.println("run: " + message);
	}
}
