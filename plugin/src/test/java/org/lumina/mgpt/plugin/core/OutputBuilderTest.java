package org.lumina.mgpt.plugin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.GenerationResult;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.StopReason;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.Answer;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.KeypointReader;

/**
 * {@link OutputBuilder} on a pose answer that is a held-out scene's truth keypoint map, answered
 * at twice the size of a selection: the keypoints must come back as named points and the limbs
 * as lines, on the result at the truth's place and on the input moved by the selection, with a
 * table of every keypoint.
 */
class OutputBuilderTest {

	private static final Path HELDOUT = Path.of("..", "model-runtime", "models", "synthetic", "heldout");
	/** Where the selection starts on the input. */
	private static final int LEFT = 10, TOP = 8;

	/** Every keypoint found: points and lines on both overlays, the table in input pixels and calibration. */
	@Test
	void keypointsBecomeNamedPointsLinesAndATable() throws IOException {
		final Img<UnsignedByteType> map = RgbImages.read(HELDOUT.resolve("scene000_pose.png"));
		final JsonNode truth = new ObjectMapper().readTree(HELDOUT.resolve("scene000.json").toFile()).path("pose").path(
			"keypoints");
		final ImagePlus input = new ImagePlus("scene", new ColorProcessor(64 + 2 * LEFT, 64 + 2 * TOP));
		input.getCalibration().pixelWidth = 0.5;
		input.getCalibration().setUnit("mm");
		final OutputBuilder.Built built = build(input, map);

		final ResultsTable table = built.table();
		assertEquals(11, table.size());
		for (int row = 0; row < 11; row++) {
			final JsonNode xy = truth.get(table.getStringValue("keypoint", row));
			assertEquals(1, table.getValue("found", row));
			assertEquals(xy.get(0).asDouble() / 2 + LEFT, table.getValue("x", row), 0.25, table.getStringValue("keypoint",
				row));
			assertEquals(xy.get(1).asDouble() / 2 + TOP, table.getValue("y", row), 0.25);
			assertEquals(table.getValue("x", row) * 0.5, table.getValue("x_cal", row), 1e-9);
			assertEquals("mm", table.getStringValue("unit", row));
		}
		assertEquals("head", table.getStringValue("keypoint", 0));

		final List<Roi> onInput = built.rois();
		assertEquals(10 + 11, onInput.size(), "the limbs, then the keypoints");
		final Line headNeck = assertInstanceOf(Line.class, onInput.get(0));
		assertEquals("head-neck", headNeck.getName());
		final PointRoi head = assertInstanceOf(PointRoi.class, onInput.get(10));
		assertEquals("head", head.getName());
		assertEquals(Color.RED, head.getStrokeColor());
		assertEquals(table.getValue("x", 0), head.getFloatPolygon().xpoints[0], 1e-4);
		assertEquals(table.getValue("y", 0), head.getFloatPolygon().ypoints[0], 1e-4);
		assertEquals(table.getValue("x", 0), headNeck.x1d, 1e-4);
		assertEquals(table.getValue("x", 1), headNeck.x2d, 1e-4);

		final Roi[] onResult = built.images().get(0).getOverlay().toArray();
		assertEquals(onInput.size(), onResult.length);
		final Rectangle.Double shiftedBack = onResult[10].getFloatBounds();
		assertEquals(head.getFloatPolygon().xpoints[0] - LEFT, shiftedBack.x, 1e-4, "the result is the selection's");
		assertEquals(head.getFloatPolygon().ypoints[0] - TOP, shiftedBack.y, 1e-4);
	}

	/** A keypoint the answer lacks: its row says not found, and it has no point and no limbs. */
	@Test
	void aMissingKeypointHasARowButNoRois() throws IOException {
		final Img<UnsignedByteType> map = RgbImages.read(HELDOUT.resolve("scene000_pose.png"));
		final RandomAccess<UnsignedByteType> at = map.randomAccess();
		for (int y = 0; y < map.dimension(1); y++) {
			for (int x = 0; x < map.dimension(0); x++) {
				at.setPosition(new int[] { x, y, 0 });
				final int r = at.get().get();
				at.setPosition(1, 2);
				final int g = at.get().get();
				at.setPosition(2, 2);
				if (r > 200 && g < 60 && at.get().get() < 60) { // the head's red disc: painted over
					at.setPosition(0, 2);
					at.get().set(0);
				}
			}
		}
		final OutputBuilder.Built built = build(new ImagePlus("scene", new ColorProcessor(64 + 2 * LEFT, 64 + 2 * TOP)),
			map);
		assertEquals(0, built.table().getValue("found", 0));
		assertTrue(Double.isNaN(built.table().getValue("x", 0)));
		assertEquals(9 + 10, built.rois().size(), "no head, no head-neck limb");
		assertTrue(built.rois().stream().noneMatch(r -> r.getName().startsWith("head")), built.rois().toString());
	}

	/** Builds the pose output of {@code map}, answered for a 64 x 64 selection at ({@link #LEFT}, {@link #TOP}). */
	private static OutputBuilder.Built build(final ImagePlus input, final Img<UnsignedByteType> map) throws IOException {
		final ImageSize size = new ImageSize((int) map.dimension(0), (int) map.dimension(1));
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(64, 64), 0, 0, new ImageSize(64, 64), size);
		final ConvertedPlane plane = new ConvertedPlane(map, 0, 1, 1, new Rectangle(LEFT, TOP, 64, 64), "test");
		final Answer answer = new Answer("", List.of(new GeneratedImage(size, null, map)), new GenerationResult(new int[0],
			StopReason.STOP_TOKEN, 0, 0, 0, false, 0, 0), Optional.empty());
		return new OutputBuilder(TaskCatalog.standard().get("pose"), input, new KeypointReader(TestBundles
			.poseConvention()), TestBundles.poseConvention(), "pose", 0.5).build(List.of(new PlaneAnswer(plane, mapping,
				answer)));
	}
}
