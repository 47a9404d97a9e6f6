package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Tests {@link BatchProcessFolderCommand} through the {@link CommandService}: results, then resume. */
class BatchProcessFolderCommandTest {

	@TempDir
	Path temp;

	@Test
	void processesTheFolderThenSkipsWhatIsDone() throws Exception {
		final Path in = Files.createDirectories(temp.resolve("in"));
		IJ.saveAsTiff(IJ.createImage("a", "8-bit ramp", 32, 24, 1), in.resolve("a.tif").toString());
		Files.writeString(in.resolve("notes.txt"), "not an image");
		final Path out = temp.resolve("out");
		try (Context context = TestBundles.context()) {
			assertEquals("done 1, skipped 0, failed 0", summary(context, in, out));
			final ImagePlus result = IJ.openImage(out.resolve("a-depth.tif").toString());
			assertEquals(32, result.getWidth());
			assertTrue(result.getInfoProperty().contains("task=depth\n"), result.getInfoProperty());
			assertEquals("done 0, skipped 1, failed 0", summary(context, in, out));
		}
	}

	private static String summary(final Context context, final Path in, final Path out) throws Exception {
		final CommandModule module = context.service(CommandService.class).run(BatchProcessFolderCommand.class, true,
			"input_dir", in.toFile(), "output_dir", out.toFile(), "task", "depth", "model_dir", new File(TestBundles.tiny()
				.toString())).get();
		return (String) module.getOutput("summary");
	}
}
