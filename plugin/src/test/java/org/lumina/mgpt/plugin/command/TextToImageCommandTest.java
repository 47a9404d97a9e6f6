package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;

import ij.ImagePlus;

/** Tests {@link TextToImageCommand}. */
class TextToImageCommandTest {

	/** The image has the size asked for. */
	@Test
	void generatesTheSizeAskedFor() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus image = (ImagePlus) TaskCommands.run(context, TextToImageCommand.class, "caption",
				"a red cell", "size", "1024x256", "cfg", 1.0).getOutput("result");
			assertEquals(1024, image.getWidth());
			assertEquals(256, image.getHeight());
		}
	}

	/** {@code jacobi_window} decodes the image speculatively and is recorded in the image's provenance. */
	@Test
	void recordsTheJacobiWindow() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus image = (ImagePlus) TaskCommands.run(context, TextToImageCommand.class, "caption",
				"a red cell", "size", "1024x256", "cfg", 1.0, "jacobi_window", 4).getOutput("result");
			assertEquals(1024, image.getWidth());
			assertTrue(image.getInfoProperty().contains("jacobi_window=4\n"), image.getInfoProperty());
		}
	}

	/** A size that is not one of the model's is refused with the list of sizes. */
	@Test
	void refusesOtherSizes() {
		try (Context context = TestBundles.context()) {
			final ExecutionException e = assertThrows(ExecutionException.class, () -> TaskCommands.run(context,
				TextToImageCommand.class, "caption", "x", "size", "100x100"));
			assertTrue(TaskCommands.rootCause(e).getMessage().startsWith("size must be one of the model's sizes"), TaskCommands.rootCause(e)
				.getMessage());
		}
	}
}
