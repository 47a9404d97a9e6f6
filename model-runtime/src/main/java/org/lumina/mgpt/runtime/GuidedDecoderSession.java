package org.lumina.mgpt.runtime;

/**
 * A conditional {@link DecoderSession} that can carry, next to it, the unconditional sequence of
 * classifier-free guidance (spec §3.4): a second sequence with its own KV cache and its own
 * positions from 0, which sees nothing of the conditional one. {@link #append},
 * {@link #numPositions} and {@link #rewind} are about the conditional sequence.
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
	 * each sequence's logits of its last positions, by the rule of {@link DecoderSession#append}
	 * for each sequence on its own.
	 *
	 * @param conditional at least one vocabulary id
	 * @param unconditional at least one vocabulary id; its length may differ from {@code conditional}'s
	 * @param conditionalLogits receives the conditional sequence's raw logits; a positive multiple
	 *            of {@code vocabSize()} long, at most {@code conditional.length} positions
	 * @param unconditionalLogits receives the unconditional sequence's raw logits; a positive
	 *            multiple of {@code vocabSize()} long, at most {@code unconditional.length} positions
	 */
	void appendBoth(int[] conditional, int[] unconditional, float[] conditionalLogits, float[] unconditionalLogits);

	/** @return how many positions the unconditional sequence holds; 0 when none is open */
	int unconditionalPositions();

	/**
	 * {@link DecoderSession#rewind} for the unconditional sequence, which stays open.
	 *
	 * @param numPositions {@code 0 <= numPositions <= unconditionalPositions()}
	 * @throws IllegalStateException when no unconditional sequence is open
	 */
	void rewindUnconditional(int numPositions);

	/**
	 * Frees the unconditional sequence, if one is open; the conditional one keeps its cache. Call it
	 * when the guided image ends: {@link #append} refuses to run while an unconditional sequence is
	 * open, since it would have to be fed too.
	 */
	void dropUnconditional();

	/**
	 * @return the error of {@link #append} while an unconditional sequence is open, saying how to
	 *         go on; for implementations
	 */
	static IllegalStateException unconditionalOpen() {
		return new IllegalStateException("an unconditional sequence is open: feed both with appendBoth, or call " +
			"dropUnconditional() first");
	}

	/** @return the error of {@link #rewindUnconditional} while none is open; for implementations */
	static IllegalStateException noUnconditional() {
		return new IllegalStateException("no unconditional sequence is open: appendBoth opens one");
	}
}
