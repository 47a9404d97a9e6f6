package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link ClassifierFreeGuidance}. */
class ClassifierFreeGuidanceTest {

	/** {@link ClassifierFreeGuidance#process}: {@code cfg * (cond - uncond) + uncond}. */
	@Test
	void testFormula() {
		final SequenceState state = StatusAwareTopKTest.text();
		state.setUnconditionalLogits(new float[] { 1, -1, 0.5f });
		final float[] logits = { 2, 1, 0.5f };
		new ClassifierFreeGuidance(4).process(state, logits);
		assertArrayEquals(new float[] { 4 * (2 - 1) + 1, 4 * (1 + 1) - 1, 0.5f }, logits);
		final float[] zero = { 2, 1, 0.5f };
		new ClassifierFreeGuidance(0).process(state, zero);
		assertArrayEquals(new float[] { 1, -1, 0.5f }, zero);
	}

	/** {@link ClassifierFreeGuidance#process}: no unconditional logits, no change. */
	@Test
	void testNoUnconditional() {
		final float[] logits = { 2, 1 };
		new ClassifierFreeGuidance(3).process(StatusAwareTopKTest.text(), logits);
		assertArrayEquals(new float[] { 2, 1 }, logits);
	}

	/** {@link ClassifierFreeGuidance#ClassifierFreeGuidance}: negative or non-finite scales are refused. */
	@Test
	void testValidation() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(-1)).getMessage()
			.contains("cfg must be a finite number >= 0, got -1.0"));
		assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(Double.NaN));
	}
}
