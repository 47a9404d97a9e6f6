package org.lumina.mgpt.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Tests {@link Sampler#GREEDY}. */
class SamplerTest {

	static final float NEG = Float.NEGATIVE_INFINITY;

	/** {@link Sampler#argmax}: the largest logit, the lowest id on ties. */
	@Test
	void testGreedy() {
		assertEquals(2, Sampler.GREEDY.sample(new float[] { 1, 2, 5, 5, NEG }));
		assertEquals(1, Sampler.GREEDY.sample(new float[] { NEG, -3, NEG }));
	}

	/** {@link Sampler#argmax}: nothing left to pick is an error that names the constraints. */
	@Test
	void testNothingLeft() {
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sampler.GREEDY.sample(
			new float[] { NEG, Float.NaN }));
		assertEquals(true, e.getMessage().contains("constraints"));
	}
}
