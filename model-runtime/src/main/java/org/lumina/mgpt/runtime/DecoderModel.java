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
}
