package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Tests {@link StatusAwareTopK}. */
class StatusAwareTopKTest {

	static final float NEG = Float.NEGATIVE_INFINITY;

	/** {@link StatusAwareTopK#process}: values tied with the k-th largest are kept (spec §3.5). */
	@Test
	void testTiesKept() {
		final float[] logits = { 1, 3, 3, 2, 3, 0 };
		new StatusAwareTopK(100, 2).process(text(), logits);
		assertArrayEquals(new float[] { NEG, 3, 3, NEG, 3, NEG }, logits);
		final float[] tiedAtK = { 5, 3, 4, 3, 1 };
		new StatusAwareTopK(100, 3).process(text(), tiedAtK);
		assertArrayEquals(new float[] { 5, 3, 4, 3, NEG }, tiedAtK);
	}

	/** {@link StatusAwareTopK#process}: image k inside an image, text k outside. */
	@Test
	void testStatusPicksK() {
		final SequenceState image = new SequenceState(TINY, 4);
		image.appendPrompt(new int[] { 0, TINY.imageStart() });
		final float[] inImage = { 0, 1, 2, 3, 4 };
		new StatusAwareTopK(2, 4).process(image, inImage);
		assertArrayEquals(new float[] { NEG, NEG, NEG, 3, 4 }, inImage);
		final float[] inText = { 0, 1, 2, 3, 4 };
		new StatusAwareTopK(2, 4).process(text(), inText);
		assertArrayEquals(new float[] { NEG, 1, 2, 3, 4 }, inText);
	}

	/** {@link StatusAwareTopK#process}: k at or above the vocabulary, or fewer finite values than k, changes nothing. */
	@Test
	void testNoOpCases() {
		final float[] logits = { 0, 1, 2 };
		new StatusAwareTopK(5, 3).process(text(), logits);
		assertArrayEquals(new float[] { 0, 1, 2 }, logits);
		final float[] masked = { NEG, 1, NEG, 2 };
		new StatusAwareTopK(5, 3).process(text(), masked);
		assertArrayEquals(new float[] { NEG, 1, NEG, 2 }, masked);
	}

	/** {@link StatusAwareTopK#process}: matches a sort-based reference on random logits. */
	@Test
	void testMatchesSortReference() {
		for (final int k : new int[] { 37, 300 }) { // NB: the heap's range and the selection's
			matchesSortReference(k);
		}
	}

	private static void matchesSortReference(final int k) {
		final StatusAwareTopK topK = new StatusAwareTopK(7, k);
		for (int seed = 0; seed < 20; seed++) {
			final SplittableRandom random = new SplittableRandom(seed);
			final float[] logits = new float[1000];
			for (int i = 0; i < logits.length; i++) logits[i] = random.nextInt(300) / 10f; // many ties
			final float[] sorted = logits.clone();
			Arrays.sort(sorted);
			final float threshold = sorted[sorted.length - k];
			final float[] expected = logits.clone();
			for (int i = 0; i < expected.length; i++) if (expected[i] < threshold) expected[i] = NEG;
			topK.process(text(), logits);
			assertArrayEquals(expected, logits, "k " + k + ", seed " + seed);
		}
	}

	/**
	 * {@link StatusAwareTopK#process}: a sample that overestimates the k-th largest (the sampled
	 * values are the large ones) lets fewer than k candidates pass; the selection over every value
	 * still finds the exact threshold.
	 */
	@Test
	void testLargeKWhenTheSampleMisleads() {
		final float[] logits = new float[1000];
		for (int i = 0; i < logits.length; i++) logits[i] = i < 512 ? 100 + i % 7 : i % 11; // the sample: the first 512
		final float[] sorted = logits.clone();
		Arrays.sort(sorted);
		final float threshold = sorted[sorted.length - 600];
		final float[] expected = logits.clone();
		for (int i = 0; i < expected.length; i++) if (expected[i] < threshold) expected[i] = NEG;
		new StatusAwareTopK(7, 600).process(text(), logits);
		assertArrayEquals(expected, logits);
	}

	/** {@link StatusAwareTopK#process}: an image's large k over a masked vocabulary, as in a real step. */
	@Test
	void testLargeKWithMaskedTokens() {
		final StatusAwareTopK topK = new StatusAwareTopK(2000, 5);
		for (int seed = 0; seed < 10; seed++) {
			final SplittableRandom random = new SplittableRandom(seed);
			final float[] logits = new float[9216];
			for (int i = 0; i < logits.length; i++) {
				logits[i] = i % 3 == 0 ? NEG : (float) random.nextGaussian() * 4; // a third masked
			}
			final float[] sorted = logits.clone();
			Arrays.sort(sorted);
			final float threshold = sorted[sorted.length - 2000];
			final float[] expected = logits.clone();
			for (int i = 0; i < expected.length; i++) if (expected[i] < threshold) expected[i] = NEG;
			final SequenceState image = new SequenceState(TINY, 4);
			image.appendPrompt(new int[] { 0, TINY.imageStart() });
			topK.process(image, logits);
			assertArrayEquals(expected, logits, "seed " + seed);
		}
	}

	/**
	 * {@link StatusAwareTopK#process}: an image's large k over awkward values (infinities, both
	 * zeros tied at the threshold, the extremes of float, runs of ties): the sort-based reference.
	 */
	@Test
	void testLargeKWithExtremeValues() {
		final StatusAwareTopK topK = new StatusAwareTopK(2000, 5);
		final float[] awkward = { Float.POSITIVE_INFINITY, -Float.MAX_VALUE, Float.MAX_VALUE, -0f, 0f,
			Float.MIN_VALUE };
		for (int seed = 0; seed < 20; seed++) {
			final SplittableRandom random = new SplittableRandom(seed);
			final float[] logits = new float[9216];
			for (int i = 0; i < logits.length; i++) {
				final int pick = random.nextInt(10);
				if (pick < 6) logits[i] = random.nextInt(seed % 2 == 0 ? 40 : 4000) / 10f - 1; // runs of ties
				else if (pick < 8) logits[i] = NEG;
				else logits[i] = awkward[random.nextInt(seed < 10 ? 5 : awkward.length)];
			}
			final float[] sorted = logits.clone();
			Arrays.sort(sorted);
			final float threshold = sorted[sorted.length - 2000];
			final float[] expected = logits.clone();
			for (int i = 0; i < expected.length; i++) {
				if (threshold != NEG && expected[i] < threshold) expected[i] = NEG;
			}
			final SequenceState image = new SequenceState(TINY, 4);
			image.appendPrompt(new int[] { 0, TINY.imageStart() });
			topK.process(image, logits);
			for (int i = 0; i < logits.length; i++) {
				assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(logits[i]), "seed " + seed + ", index " +
					i); // NB: bits, so that -0.0 and 0.0 must come out as they went in
			}
		}
	}

	/** {@link StatusAwareTopK#StatusAwareTopK}: k below 1 is refused with the parameter name. */
	@Test
	void testValidation() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StatusAwareTopK(0, 1)).getMessage().contains(
			"imageTopK must be >= 1, got 0"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StatusAwareTopK(1, -2)).getMessage().contains(
			"textTopK must be >= 1, got -2"));
	}

	static SequenceState text() {
		final SequenceState state = new SequenceState(TINY, 4);
		state.appendPrompt(new int[] { 0, 31 });
		return state;
	}
}
