package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link PixelNormalizer}. */
class PixelNormalizerTest {

	@Test
	void inputIsMinusOneToOneInChannelRowColumnOrder() {
		// 2x1 RGB: pixel (0,0) = (0, 255, 51), pixel (1,0) = (255, 0, 102)
		final Img<UnsignedByteType> rgb = ArrayImgs.unsignedBytes(new byte[] { 0, (byte) 255, (byte) 255, 0, 51, 102 },
			2, 1, 3);
		final float[] pixels = PixelNormalizer.toModelInput(rgb);
		assertArrayEquals(new float[] { -1, 1, 1, -1, (float) (51 / 255.0 * 2 - 1), (float) (102 / 255.0 * 2 - 1) },
			pixels);
		assertEquals(-0.6f, pixels[4], 1e-7f);
	}

	@Test
	void outputIsClampedScaledAndTruncated() {
		final float[] pixels = { -2f, -1f, 0f, 1f, 5f, Float.NaN, 0.999f, -0.999f, 0.5f, 0.0039f, -0.5f, 0.1f };
		final Img<UnsignedByteType> rgb = PixelNormalizer.fromModelOutput(pixels, new ImageSize(2, 2));
		final int[] actual = new int[12];
		int i = 0;
		for (final UnsignedByteType t : rgb) {
			actual[i++] = t.get();
		}
		// (x + 1) / 2 * 255, truncated: 0 -> 127 (127.5), 0.999 -> 254 (254.87), 0.5 -> 191 (191.25)
		assertArrayEquals(new int[] { 0, 0, 127, 255, 255, 0, 254, 0, 191, 127, 63, 140 }, actual);
		assertArrayEquals(new long[] { 2, 2, 3 }, rgb.dimensionsAsLongArray());
	}

	@Test
	void roundTripOfEveryValue() {
		final byte[] data = new byte[256 * 3];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i % 256);
		}
		final Img<UnsignedByteType> rgb = ArrayImgs.unsignedBytes(data, 256, 1, 3);
		final Img<UnsignedByteType> back = PixelNormalizer.fromModelOutput(PixelNormalizer.toModelInput(rgb),
			new ImageSize(256, 1));
		// truncation loses at most one level
		final var a = rgb.cursor();
		final var b = back.cursor();
		while (a.hasNext()) {
			final int diff = a.next().get() - b.next().get();
			assertTrue(diff == 0 || diff == 1, "diff " + diff);
		}
	}

	@Test
	void wrongLengthIsRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelNormalizer
			.fromModelOutput(new float[10], new ImageSize(2, 2)));
		assertTrue(e.getMessage().contains("12") && e.getMessage().contains("10"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> PixelNormalizer.toModelInput(ArrayImgs.unsignedBytes(2, 2)));
	}
}
