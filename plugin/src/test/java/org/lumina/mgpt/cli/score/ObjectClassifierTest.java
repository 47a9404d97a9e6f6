package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.cli.CliRun;

/** Tests {@link ObjectClassifier} on the rendered truth pictures of the committed held-out scenes. */
class ObjectClassifierTest {

	private final ObjectClassifier classifier = new ObjectClassifier(SyntheticScenes.standard());

	/**
	 * The nearest object of every held-out scene is found in its box with the right colour and shape
	 * (the scenes give each object its own colour on a greyish background, whole inside the picture).
	 */
	@Test
	void classifiesTheNearestObjectOfTruthPictures() throws IOException {
		assertAtMostWrong(0, 0);
	}

	/**
	 * The same on pictures blurred by a 5 x 5 box, about as soft as the VQ's reconstructions (16
	 * pixels per code), so that a round trip measures the VQ rather than the classifier: at least
	 * 35 of 36 (the 95 % bar the round trip must pass).
	 */
	@Test
	void classifiesBlurredPictures() throws IOException {
		assertAtMostWrong(2, 1);
	}

	private void assertAtMostWrong(final int blurRadius, final int maxWrong) throws IOException {
		final List<String> wrong = new ArrayList<>();
		final List<HeldoutScene> scenes = HeldoutSet.read(heldout());
		for (final HeldoutScene scene : scenes) {
			final Planar rgb = blur(Planar.of(scene.truth("rgb")), blurRadius);
			final HeldoutScene.SceneObject nearest = scene.nearestObject();
			final String truth = nearest.colour() + " " + nearest.shape();
			final String got = classifier.objectIn(rgb, nearest.box()).map(f -> f.colour() + " " + f.shape()).orElse(
				"nothing");
			if (!truth.equals(got)) wrong.add(scene.stem() + ": " + truth + " classified as " + got);
		}
		assertEquals(36, scenes.size());
		assertTrue(wrong.size() <= maxWrong, () -> String.join("\n", wrong));
	}

	/**
	 * In the single-object scenes, exactly the object is found (no invented colours or shapes).
	 * Where objects overlap, hidden parts and touching objects of one colour can change a shape.
	 */
	@Test
	void findsNoObjectThatIsNotThere() throws IOException {
		final List<String> wrong = new ArrayList<>();
		for (final HeldoutScene scene : HeldoutSet.read(heldout())) {
			if (scene.objects().size() > 1) continue;
			final Set<String> truth = new HashSet<>();
			for (final HeldoutScene.SceneObject o : scene.objects()) truth.add(o.colour() + " " + o.shape());
			for (final ObjectClassifier.Found f : classifier.objects(Planar.of(scene.truth("rgb")))) {
				if (!truth.contains(f.colour() + " " + f.shape())) wrong.add(scene.stem() + ": " + f.colour() + " " + f
					.shape() + " " + f.bounds() + " not in " + truth);
			}
		}
		assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
	}

	/** @return {@code picture} averaged over {@code (2 r + 1)^2} pixels (borders clamped) */
	private static Planar blur(final Planar picture, final int r) {
		final int w = picture.width(), h = picture.height();
		final float[] out = new float[picture.values().length];
		for (int c = 0; c < 3; c++) {
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					double sum = 0;
					for (int dy = -r; dy <= r; dy++) {
						for (int dx = -r; dx <= r; dx++) {
							sum += picture.get(Math.max(0, Math.min(w - 1, x + dx)), Math.max(0, Math.min(h - 1, y + dy)), c);
						}
					}
					out[(c * h + y) * w + x] = (float) (sum / ((2 * r + 1) * (2 * r + 1)));
				}
			}
		}
		return new Planar(w, h, 3, out);
	}

	static java.nio.file.Path heldout() {
		return CliRun.home().resolve("model-runtime/models/synthetic/heldout");
	}
}
