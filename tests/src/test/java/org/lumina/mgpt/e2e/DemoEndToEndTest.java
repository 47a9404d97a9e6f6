package org.lumina.mgpt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lumina demo --out DIR} on the bundled tiny model. */
class DemoEndToEndTest {

	private static final String NOTICE = "the bundled model is a random test model until a trained one ships: its " +
		"images and text are noise";

	@Test
	void writesEveryResultAndSaysTheModelIsRandom(@TempDir final Path out) throws Exception {
		final Cli run = Cli.run("demo", "--out", out.toString(), "--quiet");
		assertEquals(0, run.code(), run::toString);
		final List<String> lines = run.lines();
		assertTrue(lines.get(0).contains(NOTICE), run::toString);
		assertTrue(lines.get(lines.size() - 1).contains(NOTICE), run::toString);
		assertTrue(run.out().contains("results in " + out), run::toString);
		for (final String task : new String[] { "caption-shapes-512x384", "caption-cells-256", "depth-shapes-512x384",
			"depth-cells-256", "text-to-image" })
		{
			assertTrue(Files.isRegularFile(out.resolve(task).resolve("generation.json")), task);
			assertTrue(Files.isRegularFile(out.resolve(task).resolve("answer.txt")), task);
		}
		// depth maps come back on the token grid the input was resized to
		assertSize(out.resolve("depth-shapes-512x384/image-1.png"), 576, 448);
		assertSize(out.resolve("depth-cells-256/image-1.png"), 512, 512);
		assertTrue(Files.isRegularFile(out.resolve("text-to-image/image-1.png")));
	}

	private static void assertSize(final Path png, final int width, final int height) throws Exception {
		final BufferedImage image = ImageIO.read(png.toFile());
		assertEquals(width, image.getWidth(), png::toString);
		assertEquals(height, image.getHeight(), png::toString);
	}
}
