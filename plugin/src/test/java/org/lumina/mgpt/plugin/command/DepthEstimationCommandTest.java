package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.service.TestBundles;
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

	private static float[] pixels(final ImagePlus imp) {
		return (float[]) imp.getProcessor().convertToFloat().getPixels();
	}
}
