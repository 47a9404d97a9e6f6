package org.lumina.mgpt.runtime;

/**
 * One sequence being decoded: it owns the KV cache of everything appended so far and returns
 * the logits of the last positions after each append. How the cache is kept (fed back as native
 * tensors, on a device, in place) is the implementation's business, so the generator never
 * changes when that strategy does.
 * <p>
 * Speculative decoding needs two things beyond one position per step: the logits of several
 * appended positions from one call (to verify a window of drafts) and a cheap {@link #rewind} that
 * forgets the drafts that were rejected. Both are part of the contract, so that every cache
 * strategy supports them.
 * <p>
 * Not thread-safe. Use after {@link #close()} throws {@link IllegalStateException}.
 */
public interface DecoderSession extends AutoCloseable {

	/**
	 * Appends tokens at positions {@code numPositions() ..} (a prefill, one decode step, or a
	 * window of drafts) and writes the logits of the last {@code K = logits.length / vocabSize()}
	 * appended positions into {@code logits}, position-major: {@code logits[k * vocab + v]} is
	 * the logit of {@code v} after the token at {@code tokens[tokens.length - K + k]}. With
	 * {@code K = 1} (the usual step) only the last position's logits are written.
	 *
	 * @param tokens at least one vocabulary id
	 * @param logits receives raw float32 logits; its length a positive multiple of
	 *            {@code vocabSize()}, at most {@code tokens.length * vocabSize()}
	 * @throws IllegalArgumentException for no tokens or a logits length outside that range
	 */
	void append(int[] tokens, float[] logits);

	/** @return how many positions the KV cache holds, i.e. the position of the next token */
	int numPositions();

	/**
	 * Forgets every position from {@code numPositions} on, as if they had never been appended;
	 * the next {@link #append} continues at that position. Rewinding is cheap (by length or by
	 * mask), never a copy of the cache, so it may follow every step.
	 *
	 * @param numPositions the positions to keep, {@code 0 <= numPositions <= numPositions()}
	 * @throws IllegalArgumentException outside that range
	 */
	void rewind(int numPositions);

	/** Frees the KV cache and any native memory; idempotent. */
	@Override
	void close();

	/**
	 * Checks the {@link #append} arguments of a session over a vocabulary of {@code vocabSize}; for
	 * implementations, so that every one refuses the same things with the same message.
	 *
	 * @return the number of positions whose logits are wanted
	 */
	static int logitPositions(final int[] tokens, final float[] logits, final int vocabSize) {
		if (tokens.length == 0) throw new IllegalArgumentException("append needs at least one token, got none");
		final int positions = logits.length / vocabSize;
		if (positions < 1 || positions > tokens.length || logits.length % vocabSize != 0) {
			throw new IllegalArgumentException("logits buffer must have k * vocab_size entries for 1 <= k <= " +
				tokens.length + " (the tokens appended) and vocab_size " + vocabSize + ", got " + logits.length);
		}
		return positions;
	}

	/** Checks a {@link #rewind} argument against a sequence of {@code current} positions. */
	static void checkRewind(final int numPositions, final int current) {
		if (numPositions < 0 || numPositions > current) {
			throw new IllegalArgumentException("rewind needs 0 <= numPositions <= " + current +
				" (the positions held), got " + numPositions);
		}
	}
}
