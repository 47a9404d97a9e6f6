package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.command.DepthEstimationCommand;
import org.lumina.mgpt.plugin.command.DetectObjectCommand;
import org.lumina.mgpt.plugin.command.SemanticSegmentationCommand;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.OutputReaders;
import org.lumina.mgpt.runtime.task.read.SegmentationReader;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * The held-out scores of the trained synthetic bundle measured through the Fiji commands
 * themselves (what a user gets: the 32-bit depth image, the label image, the box ROIs on the
 * result's overlay), next to {@code lumina score}, which calls the engine directly: the bundle
 * in {@code models/synthetic/image_to_image/} (one per task family) or {@code models/synthetic/}.
 * Skips until one exists. {@code -Dlumina.synthetic.bundle=DIR} scores another bundle and only prints
 * the figures; {@code -Dlumina.score.scenes=N} sets the number of scenes (default 6).
 */
class CommandScoresTest {

	private static final String OTHER_BUNDLE = "lumina.synthetic.bundle";

	@Test
	void depthSegmentationAndGroundingThroughTheCommandsReachTheGoals() throws Exception {
		final String other = System.getProperty(OTHER_BUNDLE);
		final Path synthetic = TestBundles.home().resolve("model-runtime/models/synthetic");
		final Path family = synthetic.resolve("image_to_image"); // one bundle per task family, or one for all
		final Path bundle = other != null ? Path.of(other) : Files.isDirectory(family) ? family : synthetic;
		assumeTrue(Files.isRegularFile(bundle.resolve("lumina-model.json")), "no trained synthetic bundle in " + bundle +
			" yet (model-runtime/training/README.md makes it)");
		final List<HeldoutScene> all = HeldoutSet.read(TestBundles.home().resolve("model-runtime/models/synthetic")
			.resolve(HeldoutSet.FOLDER));
		final List<HeldoutScene> scenes = all.subList(0, Math.min(all.size(), Integer.getInteger("lumina.score.scenes",
			6)));
		final SyntheticScenes truth = SyntheticScenes.standard();
		final SegmentationReader bundleClasses = (SegmentationReader) OutputReaders.forTask(TaskCatalog.standard().get(
			"segmentation"), ManifestReader.read(bundle).outputs()).orElseThrow();
		double depth = 0, segmentation = 0, grounding = 0;
		try (Context context = TestBundles.context()) {
			for (int i = 0; i < scenes.size(); i++) {
				final HeldoutScene scene = scenes.get(i);
				final double[] expectedDepth = Planar.of(truth.depthReader().depth(scene.truth("depth"))).plane(0);
				depth += RankCorrelation.spearman(pixels(run(context, DepthEstimationCommand.class, bundle, scene, i, Map
					.of())), expectedDepth);

				final List<String> names = new ArrayList<>();
				final int[] expected = BundleScorer.byName(Planar.of(truth.segmentationReader().labels(scene.truth(
					"segmentation"))).labels(), truth.segmentationReader().classes(), names);
				final ImagePlus labels = run(context, SemanticSegmentationCommand.class, bundle, scene, i, Map.of());
				final int[] predicted = BundleScorer.byName(labelsOf(labels), bundleClasses.classes(), names);
				segmentation += MeanIou.of(predicted, expected, names.size());

				final ImagePlus detected = run(context, DetectObjectCommand.class, bundle, scene, i, Map.of("object", scene
					.detectPhrase()));
				grounding += largestBox(detected.getOverlay()).map(b -> b.iou(scene.targetObject().box())).orElse(0.0);
			}
		}
		final int n = scenes.size();
		System.out.println(String.format(Locale.ROOT, "through the commands, %d scenes of %s: depth_spearman %.3f, " +
			"segmentation_miou %.3f, grounding_box_iou %.3f", n, bundle, depth / n, segmentation / n, grounding / n));
		if (other != null) return;
		assertTrue(depth / n >= Metric.DEPTH_SPEARMAN.goal().getAsDouble(), "depth Spearman " + depth / n);
		assertTrue(segmentation / n >= Metric.SEGMENTATION_MIOU.goal().getAsDouble(), "segmentation mIoU " + segmentation / n);
		assertTrue(grounding / n >= Metric.GROUNDING_BOX_IOU.goal().getAsDouble(), "grounding box IoU " + grounding / n);
	}

	private static ImagePlus run(final Context context, final Class<? extends Command> command, final Path bundle,
		final HeldoutScene scene, final int seed, final Map<String, String> fields) throws Exception
	{
		final Map<String, Object> inputs = new HashMap<>(fields);
		inputs.put("model_dir", bundle.toFile());
		inputs.put("image", IJ.openImage(scene.directory().resolve(scene.files().get("rgb")).toString()));
		inputs.put("seed", (long) seed);
		inputs.put("add_overlay", false);
		return (ImagePlus) context.service(CommandService.class).run(command, true, inputs).get().getOutput("result");
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
