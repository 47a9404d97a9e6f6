package org.lumina.mgpt.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Tests {@link CategoricalSampler}. */
class CategoricalSamplerTest {

	static final float NEG = Float.NEGATIVE_INFINITY;
	static final float[] LOGITS = { (float) Math.log(0.1), NEG, (float) Math.log(0.6), (float) Math.log(0.3), NEG };

	/** {@link CategoricalSampler#sample}: the same seed gives the same draws, another seed others. */
	@Test
	void testSeeded() {
		assertArrayEquals(draws(7, 50), draws(7, 50));
		assertFalse(Arrays.equals(draws(7, 50), draws(8, 50)));
	}

	/** {@link CategoricalSampler#sample}: frequencies follow the softmax; masked ids never come. */
	@Test
	void testDistribution() {
		final int n = 100_000;
		final int[] counts = new int[LOGITS.length];
		for (final int t : draws(1, n)) counts[t]++;
		assertEquals(0, counts[1]);
		assertEquals(0, counts[4]);
		assertEquals(0.1, counts[0] / (double) n, 0.01);
		assertEquals(0.6, counts[2] / (double) n, 0.01);
		assertEquals(0.3, counts[3] / (double) n, 0.01);
	}

	/** {@link CategoricalSampler#sample}: all masked is an error. */
	@Test
	void testNothingLeft() {
		assertThrows(IllegalStateException.class, () -> new CategoricalSampler(0).sample(new float[] { NEG, NEG }));
	}

	static int[] draws(final long seed, final int n) {
		final CategoricalSampler sampler = new CategoricalSampler(seed);
		final int[] tokens = new int[n];
		for (int i = 0; i < n; i++) tokens[i] = sampler.sample(LOGITS);
		return tokens;
	}
}
