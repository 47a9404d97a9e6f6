package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link TopP}. */
class TopPTest {

	static final float NEG = Float.NEGATIVE_INFINITY;

	/** Probabilities 0.5, 0.3, 0.2 (shuffled). */
	static float[] logits() {
		return new float[] { (float) Math.log(0.3), (float) Math.log(0.2), NEG, (float) Math.log(0.5) };
	}

	/** {@link TopP#process}: the smallest most-probable set reaching p. */
	@Test
	void testNucleus() {
		assertKept(0.5, true, false, false);
		assertKept(0.6, true, true, false);
		assertKept(0.8, true, true, false);
		assertKept(0.81, true, true, true);
		assertKept(1.0, true, true, true);
	}

	/** {@link TopP#process}: a tiny p keeps at least the most probable token. */
	@Test
	void testKeepsAtLeastOne() {
		assertKept(1e-9, true, false, false);
		final float[] single = { NEG, 2, NEG };
		new TopP(0.1).process(StatusAwareTopKTest.text(), single);
		assertArrayEquals(new float[] { NEG, 2, NEG }, single);
	}

	/** {@link TopP#TopP}: p outside (0, 1] is refused. */
	@Test
	void testValidation() {
		for (final double p : new double[] { 0, -0.5, 1.5, Double.NaN }) {
			assertTrue(assertThrows(IllegalArgumentException.class, () -> new TopP(p)).getMessage().contains(
				"topP must be in (0, 1], got " + p));
		}
	}

	private static void assertKept(final double p, final boolean half, final boolean threeTenths, final boolean fifth) {
		final float[] logits = logits();
		final float[] expected = logits.clone();
		if (!half) expected[3] = NEG;
		if (!threeTenths) expected[0] = NEG;
		if (!fifth) expected[1] = NEG;
		new TopP(p).process(StatusAwareTopKTest.text(), logits);
		assertArrayEquals(expected, logits, "p " + p);
	}
}
