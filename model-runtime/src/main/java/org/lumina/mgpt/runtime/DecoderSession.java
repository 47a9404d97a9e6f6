package org.lumina.mgpt.runtime;

/**
 * One sequence being decoded: it owns the KV cache of everything appended so far and returns
 * the logits of the last position after each append. How the cache is kept (fed back as native
 * tensors, on a device, in place) is the implementation's business, so the generator never
 * changes when that strategy does.
 * <p>
 * Not thread-safe. Use after {@link #close()} throws {@link IllegalStateException}.
 */
public interface DecoderSession extends AutoCloseable {

	/**
	 * Appends tokens at positions {@code numPositions() ..} (a prefill, or one decode step) and
	 * writes the logits of the last appended position into {@code lastLogits}.
	 *
	 * @param tokens at least one vocabulary id
	 * @param lastLogits receives the raw float32 logits; length {@code vocabSize()}
	 */
	void append(int[] tokens, float[] lastLogits);

	/** @return how many positions the KV cache holds */
	int numPositions();

	/** Frees the KV cache and any native memory; idempotent. */
	@Override
	void close();
}
