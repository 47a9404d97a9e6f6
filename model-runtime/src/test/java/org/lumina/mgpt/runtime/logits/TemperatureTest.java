package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link Temperature}. */
class TemperatureTest {

	/** {@link Temperature#process}: divides, keeps -inf. */
	@Test
	void testDivides() {
		final float[] logits = { 2, -4, Float.NEGATIVE_INFINITY };
		new Temperature(0.5).process(StatusAwareTopKTest.text(), logits);
		assertArrayEquals(new float[] { 4, -8, Float.NEGATIVE_INFINITY }, logits);
	}

	/** {@link Temperature#Temperature}: 0 points to greedy sampling; negatives are refused. */
	@Test
	void testValidation() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Temperature(0)).getMessage().contains("greedy"));
		assertThrows(IllegalArgumentException.class, () -> new Temperature(-1));
		assertThrows(IllegalArgumentException.class, () -> new Temperature(Double.POSITIVE_INFINITY));
	}
}
