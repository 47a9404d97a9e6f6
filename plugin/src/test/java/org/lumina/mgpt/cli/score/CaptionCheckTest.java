package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link CaptionCheck}. */
class CaptionCheckTest {

	private static final String TRUTH = "a small green ring at the top, a small orange square at the right and a large " +
		"cyan disc at the bottom";
	/** The scene of {@link #TRUTH}, 128 x 128, far to near; every centre is well inside its third. */
	private static final HeldoutScene SCENE = scene(object("disc", "cyan", 64, 110), object("square", "orange", 110, 64),
		object("ring", "green", 64, 20));

	private final CaptionCheck check = new CaptionCheck(SyntheticScenes.standard(), CaptionCheck.POSITION_TOLERANCE);
	private final CaptionCheck strict = new CaptionCheck(SyntheticScenes.standard(), 0);

	@Test
	void theTrainingAnswerIsCorrect() {
		assertTrue(check.correct("The image shows " + TRUTH + ".", SCENE));
		assertTrue(strict.correct("The image shows " + TRUTH + ".", SCENE));
	}

	@Test
	void orderAndSizeWordsDoNotMatter() {
		assertTrue(check.correct("A large cyan disc at the bottom, a large orange square at the right, a small green ring " +
			"at the top.", SCENE));
	}

	@Test
	void aWrongPositionColourOrShapeIsWrong() {
		assertFalse(check.correct(TRUTH.replace("at the right", "at the left"), SCENE));
		assertFalse(check.correct(TRUTH.replace("at the right", "in the center"), SCENE));
		assertFalse(check.correct(TRUTH.replace("orange square", "red square"), SCENE));
		assertFalse(check.correct(TRUTH.replace("orange square", "orange disc"), SCENE));
	}

	@Test
	void aMissingExtraOrRepeatedObjectIsWrong() {
		assertFalse(check.correct("a small green ring at the top and a large cyan disc at the bottom", SCENE));
		assertFalse(check.correct(TRUTH + " and a blue triangle in the center", SCENE));
		assertFalse(check.correct("", SCENE));
		final HeldoutScene onLine = scene(object("ring", "red", 85.5, 64));
		assertFalse(check.correct("a red ring in the center and a red ring at the right", onLine));
	}

	/** 128 px: the thirds meet at 42.7 and 85.3 px. */
	@Test
	void nearALineBetweenThirdsEitherPositionCounts() {
		final HeldoutScene nearLeft = scene(object("ring", "red", 44, 64));
		assertTrue(check.correct("a red ring in the center", nearLeft));
		assertTrue(check.correct("a red ring at the left", nearLeft));
		assertFalse(check.correct("a red ring at the right", nearLeft));
		assertTrue(strict.correct("a red ring in the center", nearLeft));
		assertFalse(strict.correct("a red ring at the left", nearLeft));

		final HeldoutScene nearCorner = scene(object("disc", "blue", 84, 40));
		for (final String position : new String[] { "in the center", "at the top", "at the right", "at the top right" })
			assertTrue(check.correct("a blue disc " + position, nearCorner), position);
		assertFalse(check.correct("a blue disc at the top left", nearCorner));

		final HeldoutScene wellInside = scene(object("disc", "blue", 64 - CaptionCheck.POSITION_TOLERANCE - 12, 64));
		assertFalse(check.correct("a blue disc at the left", wellInside));
	}

	@Test
	void mentionF1GivesPartialCredit() {
		assertEquals(1.0, check.mentionF1("The image shows " + TRUTH + ".", SCENE), 1e-12);
		assertEquals(0.8, check.mentionF1("a small green ring at the top and a large cyan disc at the bottom", SCENE), 1e-12);
		assertEquals(2 * 3.0 / 7, check.mentionF1(TRUTH + " and a blue triangle in the center", SCENE), 1e-12);
		assertEquals(0.0, check.mentionF1("a red square in the center", SCENE), 1e-12);
		assertEquals(0.0, check.mentionF1("", SCENE), 1e-12);
	}

	@Test
	void mentionsAreColourShapePosition() {
		assertEquals(Set.of("red ring at the top left"), check.mentions("The image shows a large red ring at the top left."));
	}

	@Test
	void aNegativeToleranceIsRefused() {
		assertThrows(IllegalArgumentException.class, () -> new CaptionCheck(SyntheticScenes.standard(), -1));
	}

	/** The positions worked out from the centres are those the scene generator wrote into each answer. */
	@Test
	void theStrictCheckAcceptsEveryHeldoutAnswer() throws IOException {
		for (final HeldoutScene scene : HeldoutSet.read(ObjectClassifierTest.heldout())) {
			final String answer = new ObjectMapper().readTree(scene.directory().resolve(scene.stem() + ".json").toFile())
				.path("describe_answer").asText();
			assertTrue(strict.correct(answer, scene), scene.stem() + ": " + answer);
		}
	}

	private static HeldoutScene.SceneObject object(final String shape, final String colour, final double x,
		final double y)
	{
		return new HeldoutScene.SceneObject(shape, colour, x, y, new PixelBox((int) x - 10, (int) y - 10, (int) x + 10,
			(int) y + 10));
	}

	private static HeldoutScene scene(final HeldoutScene.SceneObject... objects) {
		return new HeldoutScene(Path.of("."), "scene", new ImageSize(128, 128), List.of(objects), 0, "", "", "segmentation", "", "",
			null, Map.of());
	}
}
