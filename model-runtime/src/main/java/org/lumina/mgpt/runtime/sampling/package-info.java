/**
 * Samplers: pick one token id from processed logits. Kept apart from the logits processors (which
 * only reshape the distribution) as in llama3.java and onnxruntime-genai.
 * <p>
 * Speculative Jacobi decoding lives with the generator ({@code SpeculativeJacobi}); it draws
 * through {@link org.lumina.mgpt.runtime.sampling.Probabilities}, since it must know each token's
 * probability. Deliberate omissions: beam search, multinomial sampling of several tokens per step,
 * and batched sampling.
 */
package org.lumina.mgpt.runtime.sampling;
