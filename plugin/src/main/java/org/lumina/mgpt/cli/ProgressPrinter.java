package org.lumina.mgpt.cli;

import java.io.PrintWriter;

import org.lumina.mgpt.runtime.TokenListener;

/**
 * Progress on stderr: one line per generated image row and one per {@value #EVERY} tokens of
 * text; warnings always, progress only when not quiet.
 */
final class ProgressPrinter implements TokenListener {

	/** Tokens between two progress lines outside images. */
	static final int EVERY = 128;

	private final PrintWriter err;
	private final boolean quiet;
	private final String label;
	private boolean inImage;

	/** @param label what is being generated, e.g. {@code "generate"}; starts each line */
	ProgressPrinter(final PrintWriter err, final boolean quiet, final String label) {
		this.err = err;
		this.quiet = quiet;
		this.label = label;
	}

	// -- TokenListener methods --

	@Override
	public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
		inImage = row + 1 < rowsTotal;
		if (!quiet) err.println(label + ": image " + (imageIndex + 1) + ", row " + (row + 1) + " of " + rowsTotal);
	}

	@Override
	public void onProgress(final int generated, final int total) {
		if (!quiet && !inImage && generated % EVERY == 0) err.println(label + ": " + generated + " of at most " + total + " tokens");
	}

	@Override
	public void onWarning(final String message) {
		err.println("lumina: warning: " + message);
	}
}
