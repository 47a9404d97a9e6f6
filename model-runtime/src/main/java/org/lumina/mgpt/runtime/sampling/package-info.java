/**
 * Samplers: pick one token id from processed logits. Kept apart from the logits processors (which
 * only reshape the distribution) as in llama3.java and onnxruntime-genai.
 * <p>
 * Deliberate omissions: beam search, speculative/Jacobi decoding, multinomial sampling of several
 * tokens per step, and batched sampling.
 */
package org.lumina.mgpt.runtime.sampling;
