package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.scijava.Context;
import org.scijava.command.CommandModule;

import ij.ImagePlus;

/** Tests {@link DepthEstimationCommand} through a SciJava context, headless. */
class DepthEstimationCommandTest {

	/** The result has the input's size and calibration; the input gets a "depth" layer; seeds repeat. */
	@Test
	void depthOfTheCurrentPlane() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(48, 40, 1);
			final CommandModule module = TaskCommands.run(context, DepthEstimationCommand.class, "image", input, "seed",
				3L, "cfg", 1.0);
			final ImagePlus result = (ImagePlus) module.getOutput("result");
			assertEquals(48, result.getWidth());
			assertEquals(40, result.getHeight());
			assertEquals(0.25, result.getCalibration().pixelWidth);
			assertEquals(input.getCalibration().getUnit(), result.getCalibration().getUnit());
			assertEquals("cells-depth", result.getTitle());
			assertEquals("depth", TaskCommands.layerNames(input));

			final ImagePlus again = TaskCommands.gradient(48, 40, 1);
			final ImagePlus second = (ImagePlus) TaskCommands.run(context, DepthEstimationCommand.class, "image", again,
				"seed", 3L, "cfg", 1.0, "add_overlay", false).getOutput("result");
			assertArrayEquals(pixels(result), pixels(second));
			assertNull(again.getOverlay());
		}
	}

	/** Given a folder of bundles per task family, the command runs on the one trained for depth, not the first. */
	@Test
	void runsOnTheBundleOfItsFamily(@TempDir final Path models) throws Exception {
		TestBundles.tinyCopy(models.resolve("captions"), TaskFamily.TEXT_TO_IMAGE, TaskFamily.TEXT);
		final Path dense = TestBundles.tinyCopy(models.resolve("dense"), TaskFamily.IMAGE_TO_IMAGE);
		try (Context context = TestBundles.context()) {
			final ImagePlus result = (ImagePlus) TaskCommands.run(context, DepthEstimationCommand.class, "image",
				TaskCommands.gradient(32, 32, 1), "model_dir", models.toFile()).getOutput("result");
			assertTrue(result.getInfoProperty().contains("model_dir=" + dense + "\n"), result.getInfoProperty());
		}
	}

	private static float[] pixels(final ImagePlus imp) {
		return (float[]) imp.getProcessor().convertToFloat().getPixels();
	}
}
