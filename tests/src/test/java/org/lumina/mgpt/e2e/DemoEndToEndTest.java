package org.lumina.mgpt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lumina demo --out DIR} on the bundled model: the small trained synthetic model, one
 * bundle per task family ({@code model-runtime/models/synthetic/}).
 */
class DemoEndToEndTest {

	@Test
	void writesEveryResultOnTheTrainedModel(@TempDir final Path out) throws Exception {
		final Cli run = Cli.run("demo", "--out", out.toString(), "--quiet");
		assertEquals(0, run.code(), run::toString);
		assertFalse(run.out().contains("random test model"), run::toString);
		assertTrue(run.out().contains("models/synthetic/image_to_image) for image_to_image"), run::toString);
		assertTrue(run.out().contains("models/synthetic/text_to_image) for text_to_image\n"), run::toString);
		assertTrue(run.out().contains("models/synthetic/text) for text\n"), run::toString); // captions' own decoder
		assertTrue(run.out().contains("results in " + out), run::toString);
		for (final String task : new String[] { "caption-scene-160x96", "caption-shapes-512x384", "caption-cells-256",
			"depth-scene-160x96", "depth-shapes-512x384", "depth-cells-256", "text-to-image" })
		{
			assertTrue(Files.isRegularFile(out.resolve(task).resolve("generation.json")), task);
			assertTrue(Files.isRegularFile(out.resolve(task).resolve("answer.txt")), task);
		}
		// depth maps come back on the token grid the input was resized to (128-px candidates)
		assertSize(out.resolve("depth-scene-160x96/image-1.png"), 160, 96);
		assertSize(out.resolve("depth-shapes-512x384/image-1.png"), 128, 96);
		assertSize(out.resolve("depth-cells-256/image-1.png"), 128, 128);
		assertSize(out.resolve("text-to-image/image-1.png"), 160, 96);
	}

	private static void assertSize(final Path png, final int width, final int height) throws Exception {
		final BufferedImage image = ImageIO.read(png.toFile());
		assertEquals(width, image.getWidth(), png::toString);
		assertEquals(height, image.getHeight(), png::toString);
	}
}
