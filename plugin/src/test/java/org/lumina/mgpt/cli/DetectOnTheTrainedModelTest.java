package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Rectangle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandService;

import org.lumina.mgpt.cli.score.HeldoutScene;
import org.lumina.mgpt.cli.score.HeldoutSet;
import org.lumina.mgpt.cli.score.PixelBox;
import org.lumina.mgpt.plugin.command.DetectObjectCommand;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.task.read.BoxReader;

/**
 * Detect Object on real answers: the project's trained synthetic model draws a magenta outline
 * around the object it is asked for, and the command must recover that box as a rectangle ROI
 * named after the object, on the result and on the input's overlay (beside the answer layer), in
 * the input's pixels, without touching the input's pixels. Each scene's size is one the model
 * works at, so the result is the answer picture itself: the ROIs must be exactly the outlines the
 * box reader finds in it. Their overlap with the held-out truth checks the whole path (a box
 * mapped back wrongly, by scale, padding or axes, misses the object).
 * <p>
 * Needs the trained image-to-image model: a committed bundle, or the committed training
 * checkpoints exported once into {@code .lumina-cache/} by Python with torch (skipped without).
 */
class DetectOnTheTrainedModelTest {

	private static final int SCENES = 12;
	/**
	 * Mean IoU of the recovered boxes with the truth on these scenes: the committed checkpoints
	 * reach 0.68 (every answer one box); the margin allows for another CPU's floating point
	 * choosing other samples. A box mapped back wrongly scores near 0.
	 */
	private static final double MEAN_IOU = 0.45;

	@Test
	void boxesTheModelDrawsBecomeNamedRoisOnTheInput() throws Exception {
		final Path bundle = BenchModels.trainedImageToImage(new LuminaHome(TestBundles.home()), new PrintWriter(System.err,
			true));
		assumeTrue(bundle != null, "no trained image-to-image model (see the lines above)");
		final List<HeldoutScene> scenes = HeldoutSet.read(TestBundles.home().resolve("model-runtime/models/synthetic")
			.resolve(HeldoutSet.FOLDER)).subList(0, SCENES);
		final BoxReader reader = new BoxReader(ManifestReader.read(bundle).outputs().convention("detect").orElseThrow());
		final List<String> figures = new ArrayList<>();
		double iouSum = 0;
		try (Context context = TestBundles.context()) {
			for (int i = 0; i < scenes.size(); i++) {
				final HeldoutScene scene = scenes.get(i);
				final String object = scene.detectPhrase();
				final ImagePlus input = IJ.openImage(scene.directory().resolve(scene.files().get("rgb")).toString());
				final int[] pixelsBefore = ((int[]) input.getProcessor().getPixels()).clone();
				final ImagePlus result = (ImagePlus) context.service(CommandService.class).run(DetectObjectCommand.class,
					true, Map.of("model_dir", bundle.toFile(), "image", input, "object", object, "seed", (long) i,
						"add_overlay", true)).get().getOutput("result");

				assertEquals(input.getWidth(), result.getWidth(), scene.stem());
				assertEquals(input.getHeight(), result.getHeight(), scene.stem());
				assertArrayEquals(pixelsBefore, (int[]) input.getProcessor().getPixels(), "the input's pixels changed");
				final List<Roi> onResult = boxes(result.getOverlay());
				final List<Roi> onInput = boxes(input.getOverlay());
				final List<Rectangle> drawn = reader.boxes(rgb(result)).stream().map(b -> new Rectangle(b.x(), b.y(), b
					.width(), b.height())).toList();
				assertEquals(drawn, onResult.stream().map(Roi::getBounds).toList(), scene.stem() +
					": one ROI per outline in the answer, at its place");
				assertEquals(names(onResult), names(onInput), scene.stem() + ": the same boxes on the result and the input");
				for (int k = 0; k < onInput.size(); k++) {
					assertEquals(object + " " + (k + 1), onInput.get(k).getName(), scene.stem());
					assertEquals(onResult.get(k).getBounds(), onInput.get(k).getBounds(), scene.stem() +
						": a whole-image input puts each box at the same place on both");
				}
				assertTrue(layerNamed(input.getOverlay(), "detect"), scene.stem() + ": the answer layer on the input");

				final double iou = onInput.isEmpty() ? 0 : pixelBox(onInput.get(0)).iou(scene.targetObject().box());
				iouSum += iou;
				figures.add(String.format(Locale.ROOT, "%s %dx%d '%s': %d box(es), IoU %.2f", scene.stem(), input
					.getWidth(), input.getHeight(), object, onInput.size(), iou));
			}
		}
		final double mean = iouSum / scenes.size();
		System.out.println("Detect Object on " + bundle + ":\n  " + String.join("\n  ", figures) + String.format(
			Locale.ROOT, "\n  mean IoU %.3f", mean));
		assertTrue(mean >= MEAN_IOU, String.format(Locale.ROOT, "mean box IoU %.3f < %.2f: %s", mean, MEAN_IOU,
			figures));
	}

	/** @return the rectangle ROIs of an overlay, largest first as the command adds them */
	private static List<Roi> boxes(final Overlay overlay) {
		final List<Roi> out = new ArrayList<>();
		if (overlay == null) return out;
		for (final Roi roi : overlay.toArray()) {
			if (roi.getType() == Roi.RECTANGLE && !(roi instanceof ImageRoi)) out.add(roi);
		}
		return out;
	}

	/** @return the RGB result's pixels as the readers take them: X, Y, C */
	private static Img<UnsignedByteType> rgb(final ImagePlus image) {
		final int w = image.getWidth(), h = image.getHeight();
		final int[] packed = (int[]) image.getProcessor().getPixels();
		final Img<UnsignedByteType> out = ArrayImgs.unsignedBytes(w, h, 3);
		final RandomAccess<UnsignedByteType> at = out.randomAccess();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				for (int c = 0; c < 3; c++) {
					at.setPosition(new int[] { x, y, c });
					at.get().set(packed[y * w + x] >> (16 - 8 * c) & 0xff);
				}
			}
		}
		return out;
	}

	private static List<String> names(final List<Roi> rois) {
		return rois.stream().map(Roi::getName).toList();
	}

	private static boolean layerNamed(final Overlay overlay, final String name) {
		if (overlay == null) return false;
		for (final Roi roi : overlay.toArray()) {
			if (roi instanceof ImageRoi && name.equals(roi.getName())) return true;
		}
		return false;
	}

	private static PixelBox pixelBox(final Roi roi) {
		final Rectangle r = roi.getBounds();
		return new PixelBox(r.x, r.y, r.x + r.width - 1, r.y + r.height - 1);
	}
}
