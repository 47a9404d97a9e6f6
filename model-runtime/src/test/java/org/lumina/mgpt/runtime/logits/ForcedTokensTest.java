package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;

import org.junit.jupiter.api.Test;

/** Tests {@link ForcedTokens}. */
class ForcedTokensTest {

	static final float NEG = Float.NEGATIVE_INFINITY;

	/** {@link ForcedTokens#process}: forces the prefix by generated count, then does nothing. */
	@Test
	void testForcesPrefix() {
		final ForcedTokens forced = new ForcedTokens(2, 0);
		final SequenceState state = new SequenceState(TINY, 4);
		state.appendPrompt(new int[] { 0, 31, 32 }); // prompt tokens do not count
		float[] logits = { 1, 2, 3 };
		forced.process(state, logits);
		assertArrayEquals(new float[] { NEG, NEG, 0 }, logits);
		state.appendGenerated(2);
		logits = new float[] { 1, 2, 3 };
		forced.process(state, logits);
		assertArrayEquals(new float[] { 0, NEG, NEG }, logits);
		state.appendGenerated(0);
		logits = new float[] { 1, 2, 3 };
		forced.process(state, logits);
		assertArrayEquals(new float[] { 1, 2, 3 }, logits);
		assertArrayEquals(new int[] { 2, 0 }, forced.prefix());
	}

	/** {@link ForcedTokens#ForcedTokens}: empty prefix or negative ids are refused. */
	@Test
	void testValidation() {
		assertThrows(IllegalArgumentException.class, () -> new ForcedTokens());
		assertThrows(IllegalArgumentException.class, () -> new ForcedTokens(3, -1));
	}
}
