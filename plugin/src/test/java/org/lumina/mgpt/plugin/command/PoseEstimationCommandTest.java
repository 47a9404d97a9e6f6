package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Line;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.CommandModule;

/**
 * Tests {@link PoseEstimationCommand}: with a model whose manifest declares the keypoint
 * convention, the keypoints read from its answer come back as a table and as named ROIs in the
 * input's pixels; without one (the tiny bundle's {@code "pose": "unknown"}), as before: the picture and
 * its layer.
 */
class PoseEstimationCommandTest {

	private static final Path SCENE = TestBundles.home().resolve("model-runtime/models/synthetic/heldout/" +
		"scene000_pose_rgb.png");
	/** The selection: its corner and side. */
	private static final int LEFT = 8, TOP = 16, SIDE = 96;

	/**
	 * A copy of the trained image-to-image bundle given the synthetic maps' convention with a colour
	 * radius that takes in every colour (the bundle was not trained on pose, so what it draws is no
	 * test): each keypoint is then found at the centre of the answer, whatever it holds. On a held-out
	 * pose picture with a selection: a row per keypoint, in the convention's order; each as a point
	 * named after it and each limb as a line, on the input at the selection's centre (the table's
	 * place) above the answer layer, and on the result at its own centre.
	 */
	@Test
	void keypointsBecomeATableAndNamedRois(@TempDir final Path dir) throws Exception {
		final ObjectNode convention = (ObjectNode) TestBundles.poseConvention();
		convention.put("colour_radius", 442);
		final Path bundle = TestBundles.withOutput(TestBundles.copy(TestBundles.home().resolve(
			"model-runtime/models/synthetic/image_to_image"), dir), "pose", convention);
		final ImagePlus input = IJ.openImage(SCENE.toString());
		input.setRoi(new Roi(LEFT, TOP, SIDE, SIDE));
		try (Context context = TestBundles.context()) {
			final CommandModule module = TaskCommands.run(context, PoseEstimationCommand.class, "image", input,
				"model_dir", bundle.toFile());
			final ResultsTable table = (ResultsTable) module.getOutput("table");
			final JsonNode keypoints = convention.path("keypoints");
			assertEquals(keypoints.size(), table.size());
			for (int row = 0; row < table.size(); row++) {
				assertEquals(keypoints.get(row).path("name").asText(), table.getStringValue("keypoint", row));
				assertEquals(1, table.getValue("found", row));
				assertEquals(LEFT + SIDE / 2.0, table.getValue("x", row), 1);
				assertEquals(TOP + SIDE / 2.0, table.getValue("y", row), 1);
			}

			final List<Roi> onInput = Arrays.asList(input.getOverlay().toArray());
			assertInstanceOf(ImageRoi.class, onInput.get(0));
			assertEquals("pose", onInput.get(0).getName());
			final List<Roi> limbs = onInput.subList(1, 1 + convention.path("limbs").size());
			final List<Roi> points = onInput.subList(1 + limbs.size(), onInput.size());
			assertEquals("head-neck", limbs.get(0).getName());
			assertTrue(limbs.stream().allMatch(Line.class::isInstance), limbs.toString());
			for (int k = 0; k < points.size(); k++) {
				assertInstanceOf(PointRoi.class, points.get(k));
				assertEquals(table.getStringValue("keypoint", k), points.get(k).getName());
				assertEquals(table.getValue("x", k), points.get(k).getFloatPolygon().xpoints[0], 1e-4);
				assertEquals(table.getValue("y", k), points.get(k).getFloatPolygon().ypoints[0], 1e-4);
			}

			final Roi[] onResult = ((ImagePlus) module.getOutput("result")).getOverlay().toArray();
			assertEquals(onInput.size() - 1, onResult.length, "the same ROIs on the result, without the layer");
			for (int k = 0; k < onResult.length; k++) {
				assertEquals(onInput.get(k + 1).getName(), onResult[k].getName());
				assertEquals(onInput.get(k + 1).getXBase() - LEFT, onResult[k].getXBase(), 1e-4);
				assertEquals(onInput.get(k + 1).getYBase() - TOP, onResult[k].getYBase(), 1e-4);
			}
		}
	}

	/** Without the convention: the answer picture and its layer, no table, no ROIs. */
	@Test
	void withoutTheConventionThePictureOnly() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(40, 32, 1);
			final CommandModule module = TaskCommands.run(context, PoseEstimationCommand.class, "image", input, "cfg",
				1.0);
			assertNull(module.getOutput("table"));
			assertNull(((ImagePlus) module.getOutput("result")).getOverlay());
			assertEquals("pose", TaskCommands.layerNames(input));
		}
	}
}
