package org.lumina.mgpt.runtime.sampling;

import java.util.Arrays;

/**
 * Probability vectors over the vocabulary, for samplers that must know the probability of a token
 * and not only draw one (speculative decoding compares the probabilities a token has under two
 * distributions). All methods work in caller-supplied arrays and allocate nothing.
 */
public final class Probabilities {

	private Probabilities() {}

	/**
	 * Writes the softmax of processed logits, the distribution {@link CategoricalSampler} draws from:
	 * {@code -inf} (masked) tokens get probability 0.
	 *
	 * @throws IllegalStateException when every logit is {@code -inf} or NaN
	 */
	public static void softmax(final float[] logits, final float[] out) {
		float max = Float.NEGATIVE_INFINITY;
		for (final float v : logits) {
			if (v > max) max = v;
		}
		if (max == Float.NEGATIVE_INFINITY) throw Sampler.nothingLeft();
		double sum = 0;
		for (int i = 0; i < logits.length; i++) {
			final double e = logits[i] > Float.NEGATIVE_INFINITY ? Math.exp(logits[i] - max) : 0;
			out[i] = (float) e;
			sum += e;
		}
		final float scale = (float) (1 / sum);
		for (int i = 0; i < out.length; i++) out[i] *= scale;
	}

	/** Writes the distribution that puts all mass on {@code token}, as greedy decoding and forced tokens do. */
	public static void oneHot(final int token, final float[] out) {
		Arrays.fill(out, 0);
		out[token] = 1;
	}

	/**
	 * Writes {@code max(0, p - q)}, the residual that speculative sampling draws from after a
	 * rejection, unnormalised ({@link #sample} normalises).
	 *
	 * @return the residual's total mass; 0 when {@code p <= q} everywhere
	 */
	public static double residual(final float[] p, final float[] q, final float[] out) {
		double sum = 0;
		for (int i = 0; i < p.length; i++) {
			out[i] = Math.max(0, p[i] - q[i]);
			sum += out[i];
		}
		return sum;
	}

	/**
	 * Draws a token from non-negative weights (not necessarily normalised) by inverting their
	 * cumulative sum at {@code uniform * total}.
	 *
	 * @param uniform in {@code [0, 1)}
	 * @return a token with positive weight
	 * @throws IllegalStateException when every weight is 0
	 */
	public static int sample(final float[] weights, final double uniform) {
		double total = 0;
		for (final float w : weights) total += w;
		if (!(total > 0)) throw Sampler.nothingLeft();
		final double target = uniform * total;
		double cumulative = 0;
		int last = -1;
		for (int i = 0; i < weights.length; i++) {
			if (weights[i] <= 0) continue;
			cumulative += weights[i];
			last = i;
			if (target < cumulative) return i;
		}
		return last; // rounding: target within the last ulp of the total
	}
}
