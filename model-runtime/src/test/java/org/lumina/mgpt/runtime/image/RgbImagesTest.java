package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link RgbImages}. */
class RgbImagesTest {

	@TempDir
	Path dir;

	@Test
	void pngRoundTrips() throws IOException {
		final Img<UnsignedByteType> image = PilResamplerTest.pattern(13, 7).toImg();
		final Path file = dir.resolve("pattern.png");
		RgbImages.write(image, file);
		final Img<UnsignedByteType> back = RgbImages.read(file);
		assertArrayEquals(PilResamplerTest.planar(RgbPlanes.from(image)), PilResamplerTest.planar(RgbPlanes.from(back)));
	}

	@Test
	void greyIsReadWithoutGammaChange() throws IOException {
		final BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
		grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] { 0, 100, 255 });
		final Path file = dir.resolve("grey.png");
		ImageIO.write(grey, "png", file.toFile());
		final RgbPlanes planes = RgbPlanes.from(RgbImages.read(file));
		assertArrayEquals(new int[] { 0, 100, 255, 0, 100, 255, 0, 100, 255 }, PilResamplerTest.planar(planes));
	}

	@Test
	void transparencyIsBlendedOverWhite() throws IOException {
		final BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
		argb.setRGB(0, 0, 0x80_00_00_00); // black, alpha 128
		argb.setRGB(1, 0, 0xff_10_20_30); // opaque
		final Path file = dir.resolve("alpha.png");
		ImageIO.write(argb, "png", file.toFile());
		final RgbPlanes planes = RgbPlanes.from(RgbImages.read(file));
		// (1 - 128/255) * 255 + 128/255 * 0 = 127.0 -> 127 (truncated as uint8)
		assertEquals(127, planes.get(0, 0, 0));
		assertEquals(0x10, planes.get(0, 1, 0));
		assertEquals(0x30, planes.get(2, 1, 0));
	}

	@Test
	void unreadableFileNamesTheFormats() throws IOException {
		final Path file = Files.writeString(dir.resolve("notes.png"), "not an image");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RgbImages.read(file));
		assertTrue(e.getMessage().contains("notes.png") && e.getMessage().contains("png") && e.getMessage().contains(
			"jpg"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> RgbImages.read(dir.resolve("missing.png")));
	}

	@Test
	void unknownExtensionIsRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RgbImages.write(
			PilResamplerTest.pattern(2, 2).toImg(), dir.resolve("out.xyz")));
		assertTrue(e.getMessage().contains("out.xyz") && e.getMessage().contains("png"), e.getMessage());
	}
}
