package org.lumina.mgpt.runtime.logits;

import java.util.Arrays;

/**
 * Nucleus filtering: keeps the smallest set of most probable tokens whose probability (softmax of
 * the current logits) reaches {@code p}, at least one token; ties with the last kept value are
 * kept. Not part of the reference decoding (off by default).
 * <p>
 * Sorts only the finite logits (after top-k usually a few thousand) in a reused buffer.
 * NB: {@link Arrays#sort(float[], int, int)} may allocate a merge buffer for some inputs.
 */
public final class TopP implements LogitsProcessor {

	private final double p;
	private float[] finite; // [vocab] the finite logits, sorted ascending

	/** @param p in {@code (0, 1]}; 1 keeps everything */
	public TopP(final double p) {
		if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + p);
		this.p = p;
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		if (p >= 1) return;
		if (finite == null || finite.length < logits.length) finite = new float[logits.length];
		int n = 0;
		float max = Float.NEGATIVE_INFINITY;
		for (final float v : logits) {
			if (v != Float.NEGATIVE_INFINITY) {
				finite[n++] = v;
				if (v > max) max = v;
			}
		}
		if (n <= 1) return;
		double sum = 0;
		for (int i = 0; i < n; i++) sum += Math.exp(finite[i] - max);
		Arrays.sort(finite, 0, n);
		final double target = p * sum;
		double cumulative = 0;
		float threshold = finite[0];
		for (int i = n - 1; i >= 0; i--) {
			cumulative += Math.exp(finite[i] - max);
			if (cumulative >= target) {
				threshold = finite[i];
				break;
			}
		}
		for (int i = 0; i < logits.length; i++) {
			if (logits[i] < threshold) logits[i] = Float.NEGATIVE_INFINITY;
		}
	}
}
