package org.lumina.mgpt.runtime;

/**
 * The decoder-only transformer of a model bundle, able to open independent sequences.
 * Implementations are thread-safe: each {@link DecoderSession} carries its own state.
 */
public interface DecoderModel {

	/** @return the size of the logits vector, i.e. the model's vocabulary size */
	int vocabSize();

	/**
	 * Opens a new, empty sequence whose positions start at 0. The caller owns the session and
	 * must close it to free its KV cache.
	 */
	DecoderSession openSession();

	/**
	 * Opens a new, empty conditional sequence that can carry the unconditional sequence of
	 * classifier-free guidance next to it. The caller owns the session and must close it.
	 * <p>
	 * This default runs the two sequences one after the other on two {@link #openSession()}
	 * sessions, as the reference does; a model that can run both in one batched decoder call
	 * overrides it.
	 */
	default GuidedDecoderSession openGuidedSession() {
		return new UnbatchedGuidedSession(this);
	}
}
