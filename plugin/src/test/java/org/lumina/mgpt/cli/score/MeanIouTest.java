package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Tests {@link MeanIou#of}. */
class MeanIouTest {

	@Test
	void identicalMapsScoreOne() {
		final int[] labels = { 0, 1, 2, 2, 0, 1 };
		assertEquals(1.0, MeanIou.of(labels, labels.clone(), 3), 1e-12);
	}

	/** Class 0: 1 of 2 pixels shared; class 1: 2 of 3; class 2 is in neither map and does not count. */
	@Test
	void partialOverlapAveragesThePresentClasses() {
		assertEquals((1 / 2.0 + 2 / 3.0) / 2, MeanIou.of(new int[] { 0, 0, 1, 1 }, new int[] { 0, 1, 1, 1 }, 3), 1e-12);
	}

	@Test
	void disjointMapsScoreZero() {
		assertEquals(0.0, MeanIou.of(new int[] { 1, 1 }, new int[] { 0, 0 }, 2), 1e-12);
	}

	@Test
	void mismatchedMapsAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> MeanIou.of(new int[] { 0 }, new int[] { 0, 0 }, 2));
		assertThrows(IllegalArgumentException.class, () -> MeanIou.of(new int[] { 3 }, new int[] { 0 }, 2));
	}
}
