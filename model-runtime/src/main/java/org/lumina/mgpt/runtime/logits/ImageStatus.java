package org.lumina.mgpt.runtime.logits;

import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * Where the sequence stands inside the current image; updated one token at a time, each token
 * checked against the Uni-Rep layout (spec §1.3) before anything changes.
 */
final class ImageStatus {

	/** Index of the current image's start token; -1 outside an image. */
	int start = -1;
	/** Latent grid of the current image; 0 until its size tokens are known. */
	int rows, columns;

	ImageStatus copy() {
		final ImageStatus c = new ImageStatus();
		c.start = start;
		c.rows = rows;
		c.columns = columns;
		return c;
	}

	/**
	 * @param index the index the token will have in the sequence
	 * @throws IllegalArgumentException naming the token, its index and what the layout expects
	 */
	void accept(final TokenIds ids, final int token, final int index) {
		if (start < 0) {
			if (token == ids.imageEnd()) fail(token, index, "no end-of-image outside an image");
			if (token == ids.imageStart()) start = index;
			return;
		}
		final int since = index - start - 1;
		if (since < 2) {
			final int units = token - ids.sizeBase();
			if (units <= 0) fail(token, index, "expected a size token (> " + ids.sizeBase() + ") for the image's " +
				(since == 0 ? "height" : "width") + " after image start");
			if (since == 0) rows = 2 * units;
			else columns = 2 * units;
			return;
		}
		final int body = since - 2; // 0-based index within the body
		final int rowLength = columns + 1;
		if (body == rows * rowLength) {
			if (token != ids.imageEnd()) fail(token, index, "expected end-of-image (" + ids.imageEnd() + ") after the last row of a " +
				rows + "x" + columns + " image");
			start = -1;
			rows = 0;
			columns = 0;
		}
		else if ((body + 1) % rowLength == 0) {
			if (token != ids.endOfLine()) fail(token, index, "expected end-of-line (" + ids.endOfLine() + ") at the end of row " +
				body / rowLength + " of a " + rows + "x" + columns + " image");
		}
		else if (!ids.imageTokens().contains(token)) {
			fail(token, index, "expected an image token (" + ids.imageTokens().first() + ".." + ids.imageTokens().last() +
				") in row " + body / rowLength + " of a " + rows + "x" + columns + " image");
		}
	}

	private static void fail(final int token, final int index, final String problem) {
		throw new IllegalArgumentException("token " + token + " at index " + index + " breaks the image layout: " + problem);
	}
}
