package org.lumina.mgpt.runtime.logits;

import java.util.Arrays;

import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * The mutable {@link DecodingState} a generator owns: it appends tokens and updates the image
 * status incrementally (no rescan of the sequence), checking that every image follows the Uni-Rep
 * layout of spec §1.3: start, height, width, rows of image tokens each closed by an end-of-line,
 * end.
 * <p>
 * Appending a token that breaks the layout throws {@link IllegalArgumentException} and leaves the
 * state unchanged; {@link #appendPrompt} checks the whole chunk before it appends any token. Size
 * tokens are accepted when they lie above {@code sizeBase}; whether the size is a candidate is the
 * business of {@link ImageStructureConstraint}.
 * <p>
 * Not thread-safe. Appending may grow the token buffer (amortised allocation).
 */
public final class SequenceState implements DecodingState {

	private final TokenIds ids;
	private int[] tokens;
	private int length;
	private int generatedCount;
	private final ImageStatus image = new ImageStatus();
	private float[] unconditionalLogits;

	/**
	 * @param ids the special token ids
	 * @param initialCapacity expected final length (prompt + maximum new tokens); grows as needed
	 */
	public SequenceState(final TokenIds ids, final int initialCapacity) {
		this.ids = ids;
		this.tokens = new int[Math.max(16, initialCapacity)];
	}

	// -- SequenceState methods --

	/** Appends prompt tokens (not counted as generated) after checking the whole chunk. */
	public void appendPrompt(final int[] chunk) {
		final ImageStatus check = image.copy();
		for (int i = 0; i < chunk.length; i++) {
			check.accept(ids, chunk[i], length + i);
		}
		for (final int token : chunk) {
			image.accept(ids, token, length);
			push(token);
		}
	}

	/** Appends one sampled token and counts it as generated. */
	public void appendGenerated(final int token) {
		image.accept(ids, token, length);
		push(token);
		generatedCount++;
	}

	/** Sets the unconditional logits seen by this step's processors, or {@code null} for none. */
	public void setUnconditionalLogits(final float[] logits) {
		this.unconditionalLogits = logits;
	}

	/** @return a copy of the tokens in {@code [from, length())}; allocates */
	public int[] copyOfRange(final int from) {
		return Arrays.copyOfRange(tokens, from, length);
	}

	// -- DecodingState methods --

	@Override
	public int length() {
		return length;
	}

	@Override
	public int token(final int index) {
		if (index < 0 || index >= length) {
			throw new IndexOutOfBoundsException("token index must be in [0, " + length + "), got " + index);
		}
		return tokens[index];
	}

	@Override
	public int generatedCount() {
		return generatedCount;
	}

	@Override
	public boolean insideImage() {
		return image.start >= 0;
	}

	@Override
	public int imageStart() {
		return image.start;
	}

	@Override
	public int gridRows() {
		return image.rows;
	}

	@Override
	public int gridColumns() {
		return image.columns;
	}

	@Override
	public float[] unconditionalLogits() {
		return unconditionalLogits;
	}

	// -- Helper methods --

	private void push(final int token) {
		if (length == tokens.length) tokens = Arrays.copyOf(tokens, 2 * tokens.length);
		tokens[length++] = token;
	}
}
