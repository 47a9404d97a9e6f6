package org.lumina.mgpt.runtime;

/**
 * A conditional {@link DecoderSession} that can carry, next to it, the unconditional sequence of
 * classifier-free guidance (spec §3.4): a second sequence with its own KV cache and its own
 * positions from 0, which sees nothing of the conditional one. {@link #append} and
 * {@link #numPositions} are about the conditional sequence.
 * <p>
 * Whether both sequences run in one decoder call (batched) or one after the other is the
 * implementation's business; the logits are the same within floating-point error.
 * <p>
 * Not thread-safe. Use after {@link #close()} throws {@link IllegalStateException}; closing frees
 * both sequences.
 */
public interface GuidedDecoderSession extends DecoderSession {

	/**
	 * Appends {@code conditional} to the conditional sequence and {@code unconditional} to the
	 * unconditional one, which is opened (empty, positions from 0) when none is open, and writes
	 * each sequence's last-position logits.
	 *
	 * @param conditional at least one vocabulary id
	 * @param unconditional at least one vocabulary id; its length may differ from {@code conditional}'s
	 * @param conditionalLogits receives the conditional sequence's raw logits; length {@code vocabSize()}
	 * @param unconditionalLogits receives the unconditional sequence's raw logits; length {@code vocabSize()}
	 */
	void appendBoth(int[] conditional, int[] unconditional, float[] conditionalLogits, float[] unconditionalLogits);

	/**
	 * Frees the unconditional sequence, if one is open; the conditional one keeps its cache. Call it
	 * when the guided image ends: {@link #append} refuses to run while an unconditional sequence is
	 * open, since it would have to be fed too.
	 */
	void dropUnconditional();
}
