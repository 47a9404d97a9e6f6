package org.lumina.mgpt.runtime.logits;

/**
 * One step of the logits pipeline: reads the decoding state and changes the logits in place.
 * Tokens are excluded by setting their logit to {@link Float#NEGATIVE_INFINITY}; indices always
 * stay vocabulary ids.
 * <p>
 * Implementations never hold the model or a KV cache. They may keep scratch buffers, so one
 * instance serves one generator at a time (not thread-safe unless stated).
 */
@FunctionalInterface
public interface LogitsProcessor {

	/**
	 * Transforms {@code logits} in place.
	 *
	 * @param state the sequence so far, valid for the duration of the call only
	 * @param logits the next-token logits, length = vocabulary size
	 */
	void process(DecodingState state, float[] logits);
}
