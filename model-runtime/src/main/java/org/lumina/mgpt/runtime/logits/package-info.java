/**
 * Logits processors: small in-place transforms of one step's logits, applied in the fixed order
 * built by {@link org.lumina.mgpt.runtime.logits.LogitsProcessors#chain}: classifier-free
 * guidance on the raw logits, then hard constraints (forced prefix, image structure and size
 * tokens), then status-aware top-k, temperature and top-p.
 * <p>
 * Every processor sees the sequence through a read-only
 * {@link org.lumina.mgpt.runtime.logits.DecodingState} that the generator keeps up to date
 * incrementally ({@link org.lumina.mgpt.runtime.logits.SequenceState}). Processors never hold
 * the model or a KV cache; guidance receives the unconditional logits through the state.
 * <p>
 * Deliberate omissions (not used by Lumina-mGPT's reference decoding): repetition and presence
 * penalties, minimum length, n-gram blocking, typical/min-p/eta sampling, beam search, and
 * batched processing (the only "batch" is the conditional/unconditional CFG pair, handled by the
 * generator as two sessions).
 */
package org.lumina.mgpt.runtime.logits;
