package org.lumina.mgpt.runtime.image;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

/**
 * An 8-bit RGB image as three planes of unsigned bytes, row-major: the working form of the
 * resampling code (one byte per sample, as large inputs are common). Converts from and to
 * ImgLib2 rasters with dims X, Y, C (C = 3).
 *
 * @param width pixels per row
 * @param height rows
 * @param channels R, G, B planes, each {@code width * height} unsigned samples
 */
record RgbPlanes(int width, int height, byte[][] channels) {

	/** @return a copy of {@code rgb}'s samples; checks that it is X, Y, C with C = 3 */
	static RgbPlanes from(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		checkRgb(rgb);
		final int width = Math.toIntExact(rgb.dimension(0));
		final int height = Math.toIntExact(rgb.dimension(1));
		final byte[][] channels = new byte[3][Math.multiplyExact(width, height)];
		final Cursor<UnsignedByteType> cursor = Views.flatIterable(rgb).cursor();
		for (final byte[] plane : channels) {
			for (int i = 0; i < plane.length; i++) {
				plane[i] = (byte) cursor.next().get();
			}
		}
		return new RgbPlanes(width, height, channels);
	}

	/**
	 * @throws IllegalArgumentException unless {@code rgb} has dims X, Y, C with C = 3
	 */
	static void checkRgb(final RandomAccessibleInterval<?> rgb) {
		if (rgb.numDimensions() != 3 || rgb.dimension(2) != 3) {
			throw new IllegalArgumentException("an RGB raster must have dims X, Y, C with C = 3, got " + Arrays.toString(rgb
				.dimensionsAsLongArray()));
		}
	}

	/** @return a new ImgLib2 raster (X, Y, C) holding these samples */
	Img<UnsignedByteType> toImg() {
		final int n = width * height;
		final byte[] data = new byte[3 * n];
		for (int c = 0; c < 3; c++) {
			System.arraycopy(channels[c], 0, data, c * n, n);
		}
		return ArrayImgs.unsignedBytes(data, width, height, 3);
	}

	/** @return the sample (0..255) of channel {@code c} at {@code (x, y)} */
	int get(final int c, final int x, final int y) {
		return channels[c][y * width + x] & 0xff;
	}
}
