package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.cli.score.Metric;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/**
 * Tests {@link ScoreCommand} end to end on the committed tiny random bundle. Its answers are
 * noise and its target size (512) makes every answer image 1,000+ tokens, so the runs are kept
 * to one scene and two tasks; the checks are on structure, not on values.
 */
class ScoreCommandTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void scoresTheTinyBundleIntoOneJsonLine(@TempDir final Path dir) throws IOException {
		final Path answers = dir.resolve("answers");
		final CliRun run = CliRun.of("score", "--model", CliRun.tinyBundle().toString(), "--scenes", "1", "--tasks",
			"segmentation,describe", "--json", "--quiet", "--answers", answers.toString());
		assertEquals(0, run.code(), run::toString);
		final JsonNode scores = JSON.readTree(run.lastLine());
		for (final Metric metric : Metric.values()) {
			assertTrue(scores.has(metric.key()) && scores.has(metric.key() + "_n"), metric.key() + " missing: " + run);
		}
		for (final String key : new String[] { "segmentation_miou", "segmentation_miou_vq_ceiling", "caption_accuracy" }) {
			assertEquals(1, scores.get(key + "_n").asInt(), key);
			final double v = scores.get(key).asDouble();
			assertTrue(v >= 0 && v <= 1, key + " = " + v);
		}
		for (final String key : new String[] { "depth_spearman", "depth_spearman_vq_ceiling", "normals_mean_angle_deg",
			"pose_keypoint_pck", "grounding_box_iou", "t2i_colour_match", "t2i_sizes_ok" })
		{
			assertTrue(scores.get(key).isNull() && scores.get(key + "_n").isNull(), key + " should be null: " + run);
		}
		assertTrue(run.out().contains("segmentation_miou "), "the table comes before the JSON line: " + run);

		// --answers kept what was scored: the segmentation picture at the model's size, the caption
		final String stem = JSON.readTree(CliRun.home().resolve("model-runtime/models/synthetic/heldout/index.json")
			.toFile()).get("scenes").get(0).get("stem").asText();
		final BufferedImage picture = ImageIO.read(answers.resolve(stem + "-segmentation.png").toFile());
		assertTrue(picture.getWidth() % 16 == 0 && picture.getHeight() % 16 == 0 && picture.getWidth() >= 256,
			picture.getWidth() + "x" + picture.getHeight());
		assertTrue(Files.isRegularFile(answers.resolve(stem + "-describe.txt")), run::toString);
		try (Stream<Path> kept = Files.list(answers)) {
			assertEquals(2, kept.count(), "one file per answer");
		}
	}

	/**
	 * A folder of bundles per task family: captions go to the bundle whose manifest names the
	 * {@code text} family although the {@code image_to_image} one comes first (the other tasks'
	 * routing is checked in {@code ScoredBundlesTest}, without the cost of running them).
	 */
	@Test
	void routesEachTaskToItsFamilysBundle(@TempDir final Path dir) throws IOException {
		TestBundles.tinyCopy(dir.resolve("image_to_image"), TaskFamily.IMAGE_TO_IMAGE);
		TestBundles.tinyCopy(dir.resolve("text"), TaskFamily.TEXT);
		final CliRun run = CliRun.of("score", "--model", dir.toString(), "--heldout", CliRun.home().resolve(
			"model-runtime/models/synthetic/heldout").toString(), "--scenes", "1", "--tasks", "describe", "--json",
			"--quiet");
		assertEquals(0, run.code(), run::toString);
		final JsonNode scores = JSON.readTree(run.lastLine());
		assertEquals(dir.resolve("text").toString(), scores.get("bundles").get("caption_accuracy").asText(), run::toString);
		assertEquals(1, scores.get("caption_accuracy_n").asInt(), run::toString);
		assertTrue(scores.get("segmentation_miou").isNull(), run::toString);
	}

	/**
	 * Pose is scored by a bundle whose manifest declares the keypoint convention: here a copy of the
	 * committed image-to-image bundle (exported with {@code "pose": "unknown"} and not trained on
	 * pose, so its PCK is near 0) given the convention of the scenes' maps. (The committed VQ was not
	 * trained on keypoint maps either: its round trip keeps about one keypoint in ten.) A bundle
	 * whose pose convention is unknown has no reader: pose is null, and the run does not fail.
	 */
	@Test
	void scoresPoseOnlyWhereTheManifestDeclaresTheKeypointConvention(@TempDir final Path dir) throws IOException {
		final String heldout = CliRun.home().resolve("model-runtime/models/synthetic/heldout").toString();
		TestBundles.withOutput(TestBundles.copy(CliRun.home().resolve("model-runtime/models/synthetic/image_to_image"), dir
			.resolve("declared")), "pose", TestBundles.poseConvention());
		final Path answers = dir.resolve("answers");
		final JsonNode declared = scores("score", "--model", dir.resolve("declared").toString(), "--heldout", heldout,
			"--scenes", "2", "--tasks", "pose", "--json", "--quiet", "--answers", answers.toString());
		for (final String key : new String[] { "pose_keypoint_pck", "pose_keypoint_pck_vq_ceiling" }) {
			final double v = declared.get(key).asDouble();
			assertTrue(v >= 0 && v <= 1, key + " = " + v);
			assertEquals(2, declared.get(key + "_n").asInt(), key);
		}
		System.out.println("pose on 2 scenes of a bundle not trained on it: " + declared.get("pose_keypoint_pck") +
			", VQ ceiling " + declared.get("pose_keypoint_pck_vq_ceiling"));
		assertTrue(Files.isRegularFile(answers.resolve("scene000-pose.png")), "the answer is kept");

		TestBundles.withOutput(TestBundles.tinyManifest(dir.resolve("unknown")), "pose", TextNode.valueOf("unknown"));
		final JsonNode unknown = scores("score", "--model", dir.resolve("unknown").toString(), "--heldout", heldout,
			"--tasks", "pose", "--json", "--quiet");
		assertTrue(unknown.get("pose_keypoint_pck").isNull() && unknown.get("pose_keypoint_pck_n").isNull(), unknown
			::toString);
		assertTrue(unknown.get("pose_keypoint_pck_vq_ceiling").isNull(), unknown::toString);
	}

	/**
	 * With --passes 2 each scene is answered twice, the second time with the seed a run starting
	 * one scene count later gives it: the figures are the means of those two runs, over as many
	 * scenes. (The trained bundle, whose captions differ from seed to seed.)
	 */
	@Test
	void passesScoreTheMeanOfRunsWithLaterSeeds() throws IOException {
		final String synthetic = CliRun.home().resolve("model-runtime/models/synthetic").toString();
		final JsonNode twice = scores("score", "--model", synthetic, "--scenes", "2", "--tasks", "describe", "--passes",
			"2", "--json", "--quiet");
		final JsonNode first = scores("score", "--model", synthetic, "--scenes", "2", "--tasks", "describe", "--json",
			"--quiet");
		final JsonNode second = scores("score", "--model", synthetic, "--scenes", "2", "--tasks", "describe", "--seed",
			"2", "--json", "--quiet");
		for (final String key : new String[] { "caption_accuracy", "caption_mention_f1" }) {
			assertEquals((first.get(key).asDouble() + second.get(key).asDouble()) / 2, twice.get(key).asDouble(), 1e-9, key);
			assertEquals(2, twice.get(key + "_n").asInt(), key);
		}
		assertEquals(2, twice.get("passes").asInt());
		assertEquals(1, first.get("passes").asInt());
	}

	private static JsonNode scores(final String... args) throws IOException {
		final CliRun run = CliRun.of(args);
		assertEquals(0, run.code(), run::toString);
		return JSON.readTree(run.lastLine());
	}

	/** Ctrl-C stops the run with exit code 130 and prints no scores. */
	@Test
	void cancellingStopsTheRun() {
		final CancelFlag cancel = new CancelFlag();
		cancel.cancel();
		final CliRun run = CliRun.of(cancel, "score", "--model", CliRun.tinyBundle().toString(), "--scenes", "1", "--json",
			"--quiet");
		assertEquals(130, run.code(), run::toString);
		assertTrue(run.out().isBlank(), run::toString);
	}

	@Test
	void badOptionsAreNamed() {
		final CliRun run = CliRun.of("score", "--model", CliRun.tinyBundle().toString(), "--tasks", "ask");
		assertEquals(2, run.code(), run::toString);
		assertTrue(run.errorLines().get(0).contains("'ask'"), run::toString);
		assertEquals(2, CliRun.of("score", "--model", CliRun.tinyBundle().toString(), "--scenes", "-1").code());
		final CliRun noPass = CliRun.of("score", "--model", CliRun.tinyBundle().toString(), "--passes", "0");
		assertEquals(2, noPass.code(), noPass::toString);
		assertTrue(noPass.errorLines().get(0).contains("--passes"), noPass::toString);
		assertEquals(2, CliRun.of("score", "--model", "no/such/folder").code());
	}
}
