package org.lumina.mgpt.runtime;

import java.util.Arrays;

/**
 * What a generation produced.
 *
 * @param tokens the generated tokens, the stop token stripped; the record's own array, do not modify
 * @param stopReason why generation ended
 * @param conditionalForwards decoder calls of the conditional stream (the prefill counts once)
 * @param unconditionalForwards decoder calls of the unconditional (CFG) streams, prefills included
 * @param seconds wall-clock time from the first prompt token appended to the end
 * @param imageLeftOpen whether generation stopped inside an image; callers must discard that image
 *            with an error rather than decode it
 * @param imageTokens generated tokens inside image bodies (image tokens and end-of-lines, between
 *            an image's width token and its end)
 * @param imageDecoderCalls decoder calls whose logits chose those tokens (a guided pair counts
 *            once); equal to {@code imageTokens} in plain decoding, fewer with speculative Jacobi
 *            decoding, see {@link #stepsPerImageToken()}
 */
public record GenerationResult(int[] tokens, StopReason stopReason, int conditionalForwards,
	int unconditionalForwards, double seconds, boolean imageLeftOpen, int imageTokens, int imageDecoderCalls)
{

	public GenerationResult {
		tokens = tokens.clone();
	}

	/**
	 * @return decoder calls per image-body token: 1.0 in plain decoding, below 1 when speculative
	 *         Jacobi decoding accepts drafts; NaN without image tokens
	 */
	public double stepsPerImageToken() {
		return imageTokens == 0 ? Double.NaN : imageDecoderCalls / (double) imageTokens;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof GenerationResult r && Arrays.equals(r.tokens, tokens) && r.stopReason == stopReason &&
			r.conditionalForwards == conditionalForwards && r.unconditionalForwards == unconditionalForwards &&
			Double.compare(r.seconds, seconds) == 0 && r.imageLeftOpen == imageLeftOpen &&
			r.imageTokens == imageTokens && r.imageDecoderCalls == imageDecoderCalls;
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(tokens) + stopReason.hashCode();
	}

	@Override
	public String toString() {
		return "GenerationResult[" + tokens.length + " tokens, " + stopReason + ", forwards " + conditionalForwards +
			"+" + unconditionalForwards + ", " + String.format(java.util.Locale.ROOT, "%.3f", seconds) + " s" +
			(imageLeftOpen ? ", image left open" : "") + (imageTokens > 0 ? ", " + imageDecoderCalls + " calls for " +
				imageTokens + " image tokens" : "") + "]";
	}
}
