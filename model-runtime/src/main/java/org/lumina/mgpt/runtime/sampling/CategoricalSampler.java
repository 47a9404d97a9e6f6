package org.lumina.mgpt.runtime.sampling;

import java.util.SplittableRandom;

/**
 * Samples from the softmax of the logits with a seeded {@link SplittableRandom}: the same seed and
 * the same logits give the same tokens on any JVM. Masked ({@code -inf}) tokens are never drawn.
 * <p>
 * Allocates nothing per call (two passes over the logits). Not thread-safe.
 */
public final class CategoricalSampler implements Sampler {

	private final SplittableRandom random;

	public CategoricalSampler(final long seed) {
		this.random = new SplittableRandom(seed);
	}

	@Override
	public int sample(final float[] logits) {
		float max = Float.NEGATIVE_INFINITY;
		for (final float v : logits) {
			if (v > max) max = v;
		}
		if (max == Float.NEGATIVE_INFINITY) throw Sampler.nothingLeft();
		double sum = 0;
		for (final float v : logits) {
			if (v > Float.NEGATIVE_INFINITY) sum += Math.exp(v - max);
		}
		final double r = random.nextDouble() * sum;
		double cumulative = 0;
		int last = -1;
		for (int i = 0; i < logits.length; i++) {
			if (!(logits[i] > Float.NEGATIVE_INFINITY)) continue;
			cumulative += Math.exp(logits[i] - max);
			last = i;
			if (r < cumulative) return i;
		}
		return last; // rounding: r within the last ulp of the sum
	}
}
