package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.GenerationFixtures.REAL;
import static org.lumina.mgpt.runtime.GenerationFixtures.REAL_VOCAB;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationFixtures;
import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link ImageStructureConstraint} with the real token ids and the 512 candidate list. */
class ImageStructureConstraintTest {

	static final List<ImageSize> SIZES_512 = GenerationFixtures.candidateSizes(512);

	final ImageStructureConstraint constraint = new ImageStructureConstraint(REAL, SIZES_512);

	/** {@link ImageStructureConstraint#ImageStructureConstraint}: the fixture is the spec's list. */
	@Test
	void testFixtureIsSpecList() {
		assertEquals(49, SIZES_512.size());
		assertEquals(new ImageSize(1024, 256), SIZES_512.get(0));
		assertEquals(new ImageSize(256, 1024), SIZES_512.get(48));
	}

	/** Right after image start only the candidate heights stay, with their values. */
	@Test
	void testOnlyCandidateHeightsAfterStart() {
		final float[] logits = random(1);
		final float[] raw = logits.clone();
		constraint.process(state(0, 100, REAL.imageStart()), logits);
		final Set<Integer> heights = SIZES_512.stream().map(s -> REAL.sizeToken(s.height())).collect(Collectors.toSet());
		assertEquals(heights, finite(logits));
		for (final int h : heights) assertEquals(raw[h], logits[h]);
	}

	/** After each candidate height exactly the widths that pair with it stay. */
	@Test
	void testOnlyPairedWidthsAfterHeight() {
		final Set<Integer> heights = SIZES_512.stream().map(ImageSize::height).collect(Collectors.toSet());
		for (final int height : heights) {
			final float[] logits = random(height);
			constraint.process(state(0, REAL.imageStart(), REAL.sizeToken(height)), logits);
			final Set<Integer> widths = SIZES_512.stream().filter(s -> s.height() == height).map(s -> REAL.sizeToken(s
				.width())).collect(Collectors.toSet());
			assertEquals(widths, finite(logits), "height " + height);
		}
		final float[] logits = random(3);
		constraint.process(state(0, REAL.imageStart(), REAL.sizeToken(256)), logits);
		assertEquals(Set.of(8832, 8833, 8834, 8835, 8836), finite(logits)); // 896..1024 px wide
	}

	/** A height from the prompt that is no candidate allows every candidate width. */
	@Test
	void testUnknownHeightAllowsAllWidths() {
		final float[] logits = random(4);
		constraint.process(state(REAL.imageStart(), REAL.sizeToken(32 * 40)), logits);
		assertEquals(SIZES_512.stream().map(s -> REAL.sizeToken(s.width())).collect(Collectors.toSet()), finite(logits));
	}

	/** In the body: end-of-line at each row end, end-of-image after the last row, image tokens elsewhere. */
	@Test
	void testBodyStructure() {
		final SequenceState state = new SequenceState(REAL, 16);
		state.appendPrompt(new int[] { 0, REAL.imageStart(), REAL.sizeToken(64), REAL.sizeToken(32) }); // 4 rows x 2
		for (int n = 1; n <= 4 * 3 + 1; n++) {
			final float[] logits = random(n);
			constraint.process(state, logits);
			final int next;
			if (n % 3 == 0) {
				assertEquals(Set.of(REAL.endOfLine()), finite(logits), "n " + n);
				assertEquals(0, logits[REAL.endOfLine()]);
				next = REAL.endOfLine();
			}
			else if (n == 13) {
				assertEquals(Set.of(REAL.imageEnd()), finite(logits));
				next = REAL.imageEnd();
			}
			else {
				final TreeSet<Integer> allowed = finite(logits);
				assertEquals(8192, allowed.size());
				assertEquals(4, allowed.first());
				assertEquals(8195, allowed.last());
				next = 4 + n;
			}
			state.appendGenerated(next);
		}
		assertEquals(false, state.insideImage());
	}

	/** Text mode excludes only end-of-image and end-of-line. */
	@Test
	void testTextModeExcludesOnlyEndTokens() {
		final float[] logits = random(5);
		final float[] expected = logits.clone();
		expected[REAL.imageEnd()] = Float.NEGATIVE_INFINITY;
		expected[REAL.endOfLine()] = Float.NEGATIVE_INFINITY;
		constraint.process(state(0, 100), logits);
		assertArrayEquals(expected, logits);
	}

	/** {@link ImageStructureConstraint#ImageStructureConstraint}: bad candidate lists. */
	@Test
	void testRejectsBadCandidates() {
		assertThrows(IllegalArgumentException.class, () -> new ImageStructureConstraint(REAL, List.of()));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> new ImageStructureConstraint(REAL, List.of(new ImageSize(500, 512))));
		assertTrue(e.getMessage().contains("multiples of 32") && e.getMessage().contains("500x512"), e.getMessage());
	}

	static SequenceState state(final int... tokens) {
		final SequenceState state = new SequenceState(REAL, tokens.length);
		state.appendPrompt(tokens);
		return state;
	}

	static float[] random(final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final float[] logits = new float[REAL_VOCAB];
		for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
		return logits;
	}

	static TreeSet<Integer> finite(final float[] logits) {
		final TreeSet<Integer> ids = new TreeSet<>();
		for (int i = 0; i < logits.length; i++) {
			if (logits[i] != Float.NEGATIVE_INFINITY) ids.add(i);
		}
		return ids;
	}
}
