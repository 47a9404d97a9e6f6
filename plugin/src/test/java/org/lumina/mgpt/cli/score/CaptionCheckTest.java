package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** Tests {@link CaptionCheck}. */
class CaptionCheckTest {

	private static final String TRUTH = "a small green ring at the top, a small orange square at the right and a large " +
		"cyan disc at the bottom";

	private final CaptionCheck check = new CaptionCheck(SyntheticScenes.standard());

	@Test
	void theTrainingAnswerIsCorrect() {
		assertTrue(check.correct("The image shows " + TRUTH + ".", TRUTH));
	}

	@Test
	void orderAndSizeWordsDoNotMatter() {
		assertTrue(check.correct("A large cyan disc at the bottom, a large orange square at the right, a small green ring " +
			"at the top.", TRUTH));
	}

	@Test
	void aWrongPositionColourOrShapeIsWrong() {
		assertFalse(check.correct(TRUTH.replace("at the right", "at the left"), TRUTH));
		assertFalse(check.correct(TRUTH.replace("orange square", "red square"), TRUTH));
		assertFalse(check.correct(TRUTH.replace("orange square", "orange disc"), TRUTH));
	}

	@Test
	void aMissingOrExtraObjectIsWrong() {
		assertFalse(check.correct("a small green ring at the top and a large cyan disc at the bottom", TRUTH));
		assertFalse(check.correct(TRUTH + " and a blue triangle in the center", TRUTH));
		assertFalse(check.correct("", TRUTH));
	}

	@Test
	void mentionF1GivesPartialCredit() {
		assertEquals(1.0, check.mentionF1("The image shows " + TRUTH + ".", TRUTH), 1e-12);
		assertEquals(0.8, check.mentionF1("a small green ring at the top and a large cyan disc at the bottom", TRUTH), 1e-12);
		assertEquals(2 * 3.0 / 7, check.mentionF1(TRUTH + " and a blue triangle in the center", TRUTH), 1e-12);
		assertEquals(0.0, check.mentionF1("a red square in the center", TRUTH), 1e-12);
		assertEquals(0.0, check.mentionF1("", TRUTH), 1e-12);
	}

	@Test
	void mentionsAreColourShapePosition() {
		assertEquals(Set.of("red ring at the top left"), check.mentions("The image shows a large red ring at the top left."));
	}
}
