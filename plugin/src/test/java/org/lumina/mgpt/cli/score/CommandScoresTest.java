package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.cli.CliRun;
import org.lumina.mgpt.plugin.command.DepthEstimationCommand;
import org.lumina.mgpt.plugin.command.DetectObjectCommand;
import org.lumina.mgpt.plugin.command.EditImageCommand;
import org.lumina.mgpt.plugin.command.ImageFromConditionCommand;
import org.lumina.mgpt.plugin.command.PoseEstimationCommand;
import org.lumina.mgpt.plugin.command.SemanticSegmentationCommand;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.Keypoint;
import org.lumina.mgpt.runtime.task.read.OutputReaders;
import org.lumina.mgpt.runtime.task.read.SegmentationReader;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * The held-out scores of the trained synthetic bundles measured through the Fiji commands
 * themselves (what a user gets: the 32-bit depth image, the label image, the box ROIs on the
 * result's overlay, the picture drawn from a condition map, the edited picture, the keypoint
 * table), against {@code lumina score}, which calls the engine directly, on the same
 * scenes with the same seeds: the commands must hand over everything the engine answers. The
 * commands get the folder {@code models/synthetic} and pick its image-to-image bundle themselves.
 * Skips until the bundles exist. {@code -Dlumina.synthetic.bundle=DIR} scores another bundle or
 * folder; {@code -Dlumina.score.scenes=N} sets the number of scenes (default 6).
 */
class CommandScoresTest {

	private static final String OTHER_BUNDLE = "lumina.synthetic.bundle";
	/** Both sides sample the same tokens; this only absorbs float rounding in the readers. */
	private static final double SAME = 1e-3;

	@Test
	void depthSegmentationGroundingConditionAndEditThroughTheCommandsEqualTheEngines() throws Exception {
		final Path model = model();
		final Path bundle = imageToImageBundle(model);
		final List<HeldoutScene> scenes = scenes();
		final int n = scenes.size();
		final SyntheticScenes truth = SyntheticScenes.standard();
		final SegmentationReader bundleClasses = (SegmentationReader) OutputReaders.forTask(TaskCatalog.standard().get(
			"segmentation"), ManifestReader.read(bundle).outputs()).orElseThrow();
		final ObjectClassifier classifier = new ObjectClassifier(truth);
		double depth = 0, segmentation = 0, grounding = 0, condition = 0, edit = 0;
		try (Context context = TestBundles.context()) {
			for (int i = 0; i < scenes.size(); i++) {
				final HeldoutScene scene = scenes.get(i);
				final double[] expectedDepth = Planar.of(truth.depthReader().depth(scene.truth("depth"))).plane(0);
				depth += RankCorrelation.spearman(pixels(run(context, DepthEstimationCommand.class, model, scene, "rgb", i, Map
					.of())), expectedDepth);

				final List<String> names = new ArrayList<>();
				final int[] expected = BundleScorer.byName(Planar.of(truth.segmentationReader().labels(scene.truth(
					"segmentation"))).labels(), truth.segmentationReader().classes(), names);
				final ImagePlus labels = run(context, SemanticSegmentationCommand.class, model, scene, "rgb", i, Map.of());
				final int[] predicted = BundleScorer.byName(labelsOf(labels), bundleClasses.classes(), names);
				segmentation += MeanIou.of(predicted, expected, names.size());

				final ImagePlus detected = run(context, DetectObjectCommand.class, model, scene, "rgb", i, Map.of("object", scene
					.detectPhrase()));
				grounding += largestBox(detected.getOverlay()).map(b -> b.iou(scene.targetObject().box())).orElse(0.0);

				final ImagePlus drawn = run(context, ImageFromConditionCommand.class, model, scene, scene.conditionInput(), i,
					Map.of("caption", scene.caption()));
				final HeldoutScene.SceneObject named = scene.nearestObject();
				condition += classifier.objectOfColourIn(rgb(drawn), named.box(), named.colour()).isPresent() ? 1 : 0;

				final ImagePlus edited = run(context, EditImageCommand.class, model, scene, "rgb", i, Map.of("instruction",
					scene.editInstruction()));
				edit += classifier.objectOfColourIn(rgb(edited), named.box(), scene.editColour()).isPresent() ? 1 : 0;
			}
		}
		final CliRun engine = CliRun.of("score", "--model", model.toString(), "--scenes", Integer.toString(n), "--tasks",
			"segmentation,depth,detect,condition,edit", "--json", "--quiet");
		assertEquals(0, engine.code(), engine::toString);
		final JsonNode scores = new ObjectMapper().readTree(engine.lastLine());
		System.out.println(String.format(Locale.ROOT, "through the commands, %d scenes of %s: depth_spearman %.3f, " +
			"segmentation_miou %.3f, grounding_box_iou %.3f, condition_colour_match %.3f, edit_colour_match %.3f; lumina " +
			"score: %.3f, %.3f, %.3f, %.3f, %.3f", n, bundle, depth / n, segmentation / n, grounding / n, condition / n, edit /
				n, scores.get("depth_spearman").asDouble(), scores.get("segmentation_miou").asDouble(), scores.get(
					"grounding_box_iou").asDouble(), scores.get("condition_colour_match").asDouble(), scores.get(
						"edit_colour_match").asDouble()));
		assertEquals(scores.get("depth_spearman").asDouble(), depth / n, SAME, "depth Spearman");
		assertEquals(scores.get("segmentation_miou").asDouble(), segmentation / n, SAME, "segmentation mIoU");
		assertEquals(scores.get("grounding_box_iou").asDouble(), grounding / n, SAME, "grounding box IoU");
		assertEquals(scores.get("condition_colour_match").asDouble(), condition / n, SAME, "condition colour match");
		assertEquals(scores.get("edit_colour_match").asDouble(), edit / n, SAME, "edit colour match");
	}

	/**
	 * Pose Estimation's keypoint table (found keypoints, in the input's pixels) against
	 * {@code lumina score}'s pose_keypoint_pck. Skips while the bundle keeps {@code "pose": "unknown"}
	 * (a bundle exported before the convention existed): no reader, nothing to compare.
	 */
	@Test
	void poseThroughTheCommandEqualsTheEngines() throws Exception {
		final Path model = model();
		final Path bundle = imageToImageBundle(model);
		assumeTrue(OutputReaders.forTask(TaskCatalog.standard().get("pose"), ManifestReader.read(bundle).outputs())
			.isPresent(), "the bundle " + bundle + " keeps \"pose\": \"unknown\"; re-export it with the keypoint " +
				"convention (model-runtime/export writes it for the synthetic bundles) to compare pose");
		final List<HeldoutScene> scenes = scenes();
		final int n = scenes.size();
		double pck = 0;
		try (Context context = TestBundles.context()) {
			for (int i = 0; i < n; i++) {
				final ResultsTable table = (ResultsTable) module(context, PoseEstimationCommand.class, model, scenes.get(i),
					"pose_rgb", i, Map.of()).getOutput("table");
				final List<Keypoint> found = new ArrayList<>();
				for (int row = 0; row < table.size(); row++) {
					if (table.getValue("found", row) == 1) found.add(new Keypoint(table.getStringValue("keypoint", row), table
						.getValue("x", row), table.getValue("y", row)));
				}
				pck += scenes.get(i).pose().pck(found);
			}
		}
		final CliRun engine = CliRun.of("score", "--model", model.toString(), "--scenes", Integer.toString(n), "--tasks",
			"pose", "--json", "--quiet");
		assertEquals(0, engine.code(), engine::toString);
		final double scored = new ObjectMapper().readTree(engine.lastLine()).get("pose_keypoint_pck").asDouble();
		System.out.println(String.format(Locale.ROOT, "through Pose Estimation, %d scenes of %s: pose_keypoint_pck " +
			"%.3f; lumina score: %.3f", n, bundle, pck / n, scored));
		assertEquals(scored, pck / n, SAME, "pose keypoint PCK");
	}

	/** @return the model folder the commands get: {@code -Dlumina.synthetic.bundle}, else {@code models/synthetic} */
	private static Path model() {
		final String other = System.getProperty(OTHER_BUNDLE);
		return other != null ? Path.of(other) : TestBundles.home().resolve("model-runtime/models/synthetic");
	}

	/** @return the bundle of {@code model} the image-to-image commands run on; skips the test when there is none */
	private static Path imageToImageBundle(final Path model) {
		try {
			return ModelFolder.bundleFor(model, TaskFamily.IMAGE_TO_IMAGE);
		}
		catch (final IllegalArgumentException e) {
			assumeTrue(false, "no trained synthetic bundle in " + model + " yet (model-runtime/training/README.md makes " +
				"it): " + e.getMessage());
			throw e;
		}
	}

	/** @return the first {@code -Dlumina.score.scenes} (default 6) held-out scenes */
	private static List<HeldoutScene> scenes() throws IOException {
		final List<HeldoutScene> all = HeldoutSet.read(TestBundles.home().resolve("model-runtime/models/synthetic")
			.resolve(HeldoutSet.FOLDER));
		return all.subList(0, Math.min(all.size(), Integer.getInteger("lumina.score.scenes", 6)));
	}

	/** Runs {@code command} on the scene's truth image of kind {@code input} ({@code rgb}, {@code depth}, ...). */
	private static ImagePlus run(final Context context, final Class<? extends Command> command, final Path model,
		final HeldoutScene scene, final String input, final int seed, final Map<String, String> fields) throws Exception
	{
		return (ImagePlus) module(context, command, model, scene, input, seed, fields).getOutput("result");
	}

	/** @return the finished module of {@code command} run as {@link #run} runs it */
	private static CommandModule module(final Context context, final Class<? extends Command> command, final Path model,
		final HeldoutScene scene, final String input, final int seed, final Map<String, String> fields) throws Exception
	{
		final Map<String, Object> inputs = new HashMap<>(fields);
		inputs.put("model_dir", model.toFile());
		inputs.put("image", IJ.openImage(scene.directory().resolve(scene.files().get(input)).toString()));
		inputs.put("seed", (long) seed);
		inputs.put("add_overlay", false);
		return context.service(CommandService.class).run(command, true, inputs).get();
	}

	/** @return an RGB image's pixels as three planes */
	private static Planar rgb(final ImagePlus image) {
		final int[] packed = (int[]) image.getProcessor().convertToRGB().getPixels();
		final int n = packed.length;
		final float[] values = new float[3 * n];
		for (int i = 0; i < n; i++) {
			values[i] = (packed[i] >> 16) & 0xff;
			values[n + i] = (packed[i] >> 8) & 0xff;
			values[2 * n + i] = packed[i] & 0xff;
		}
		return new Planar(image.getWidth(), image.getHeight(), 3, values);
	}

	private static double[] pixels(final ImagePlus image) {
		final float[] values = (float[]) image.getProcessor().convertToFloat().getPixels();
		final double[] out = new double[values.length];
		for (int i = 0; i < values.length; i++) out[i] = values[i];
		return out;
	}

	private static int[] labelsOf(final ImagePlus image) {
		final int[] out = new int[image.getWidth() * image.getHeight()];
		for (int i = 0; i < out.length; i++) out[i] = (int) image.getProcessor().getf(i);
		return out;
	}

	/** @return the largest rectangle ROI the command put on the result's overlay */
	private static java.util.Optional<PixelBox> largestBox(final Overlay overlay) {
		if (overlay == null) return java.util.Optional.empty();
		PixelBox best = null;
		for (final Roi roi : overlay.toArray()) {
			final java.awt.Rectangle r = roi.getBounds();
			final PixelBox box = new PixelBox(r.x, r.y, r.x + r.width - 1, r.y + r.height - 1);
			if (best == null || box.area() > best.area()) best = box;
		}
		return java.util.Optional.ofNullable(best);
	}
}
