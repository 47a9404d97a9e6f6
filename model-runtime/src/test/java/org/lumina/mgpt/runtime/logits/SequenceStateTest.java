package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;

import org.junit.jupiter.api.Test;

/** Tests {@link SequenceState}. */
class SequenceStateTest {

	/** Two 32x32 images (2x2 latent) with text around them. */
	static final int[] TWO_IMAGES = { 0, 31, 21, 24, 24, 4, 5, 22, 6, 7, 22, 20, 32, 21, 24, 24, 8, 9, 22, 10, 11, 22,
		20, 33 };

	/** {@link SequenceState#appendGenerated}: the status matches spec §3.2's counting rule at every prefix. */
	@Test
	void testStatusMatchesCountingRule() {
		final SequenceState state = new SequenceState(TINY, 4);
		int starts = 0, ends = 0;
		for (final int token : TWO_IMAGES) {
			state.appendGenerated(token);
			if (token == TINY.imageStart()) starts++;
			if (token == TINY.imageEnd()) ends++;
			assertEquals(starts == ends + 1, state.insideImage(), "after " + state.length() + " tokens");
		}
		assertEquals(TWO_IMAGES.length, state.generatedCount());
		assertEquals(33, state.lastToken());
	}

	/** {@link SequenceState#appendPrompt}: grid, image start and body count follow the tokens. */
	@Test
	void testGridAndBody() {
		final SequenceState state = new SequenceState(TINY, 4);
		state.appendPrompt(new int[] { 0, 31, 21 });
		assertEquals(2, state.imageStart());
		assertEquals(0, state.imageTokensSinceStart());
		assertEquals(0, state.gridRows());
		state.appendPrompt(new int[] { 25, 24 }); // 64 px high, 32 px wide
		assertEquals(4, state.gridRows());
		assertEquals(2, state.gridColumns());
		state.appendPrompt(new int[] { 4, 5, 22 });
		assertEquals(3, state.bodyTokens());
		assertEquals(0, state.generatedCount());
		assertEquals(-1, new SequenceState(TINY, 0).imageTokensSinceStart());
	}

	/** {@link SequenceState#appendPrompt}: layout errors name index and expectation; nothing is appended. */
	@Test
	void testRejectsBrokenLayout() {
		assertRejects(new int[] { 0, 20 }, "index 1", "no end-of-image outside");
		assertRejects(new int[] { 21, 5 }, "index 1", "size token");
		assertRejects(new int[] { 21, 24, 24, 4, 5, 6 }, "index 5", "end-of-line");
		assertRejects(new int[] { 21, 24, 24, 4, 5, 22, 20 }, "index 6", "image token");
		assertRejects(new int[] { 21, 24, 24, 4, 5, 22, 6, 7, 22, 8 }, "index 9", "end-of-image");
	}

	/** {@link SequenceState#setUnconditionalLogits}. */
	@Test
	void testUnconditionalLogits() {
		final SequenceState state = new SequenceState(TINY, 4);
		assertNull(state.unconditionalLogits());
		final float[] u = new float[3];
		state.setUnconditionalLogits(u);
		assertSame(u, state.unconditionalLogits());
	}

	private static void assertRejects(final int[] tokens, final String... parts) {
		final SequenceState state = new SequenceState(TINY, 4);
		state.appendPrompt(new int[] { 0 });
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state.appendPrompt(
			tokens));
		for (final String part : parts) {
			final String expected = part.startsWith("index ") ? "index " + (Integer.parseInt(part.substring(6)) + 1) : part;
			assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
		}
		assertEquals(1, state.length());
		assertEquals(-1, state.imageStart());
	}
}
