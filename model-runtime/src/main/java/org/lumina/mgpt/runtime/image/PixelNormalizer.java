package org.lumina.mgpt.runtime.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

import org.lumina.mgpt.runtime.ImageSize;

/**
 * Converts between 8-bit RGB rasters and the VQGAN's pixel tensors (spec §2.4, §2.5): input
 * {@code x / 255 * 2 - 1} in {@code [-1, 1]}, layout {@code [1, 3, H, W]}; output clamped to
 * {@code [-1, 1]}, mapped by {@code (x + 1) / 2 * 255} and TRUNCATED to 0..255, as the reference
 * does (not rounded). Stateless and thread-safe.
 */
public final class PixelNormalizer {

	private PixelNormalizer() {}

	/**
	 * @param rgb an 8-bit raster with dims X, Y, C (C = 3)
	 * @return a new array of {@code 3 * H * W} floats, index {@code (c * H + y) * W + x}
	 * @throws IllegalArgumentException when {@code rgb} is not X, Y, C with C = 3
	 */
	public static float[] toModelInput(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		RgbPlanes.checkRgb(rgb);
		final float[] pixels = new float[Math.toIntExact(rgb.size())]; // [1, 3, H, W]
		final Cursor<UnsignedByteType> cursor = Views.flatIterable(rgb).cursor();
		for (int i = 0; i < pixels.length; i++) {
			// NB: computed in double and then cast, as numpy does before torch's .float()
			pixels[i] = (float) (cursor.next().get() / 255.0 * 2 - 1);
		}
		return pixels;
	}

	/**
	 * @param pixels the VQ decoder output {@code [1, 3, H, W]}, {@code 3 * H * W} floats
	 * @param size the image size {@code W x H}
	 * @return a new 8-bit raster with dims X, Y, C (C = 3); NaN becomes 0
	 * @throws IllegalArgumentException when the length of {@code pixels} does not match {@code size}
	 */
	public static Img<UnsignedByteType> fromModelOutput(final float[] pixels, final ImageSize size) {
		final long expected = 3L * size.width() * size.height();
		if (pixels.length != expected) {
			throw new IllegalArgumentException("pixels of a " + size + " image must hold 3 * " + size.height() + " * " +
				size.width() + " = " + expected + " floats, got " + pixels.length);
		}
		final byte[] data = new byte[pixels.length];
		for (int i = 0; i < pixels.length; i++) {
			final float clamped = Math.max(-1f, Math.min(1f, pixels[i]));
			// NB: float arithmetic and truncation, exactly as (clamp(x) + 1) / 2 then (x * 255).astype(uint8)
			data[i] = Float.isNaN(pixels[i]) ? 0 : (byte) (int) ((clamped + 1f) / 2f * 255f);
		}
		return ArrayImgs.unsignedBytes(data, size.width(), size.height(), 3);
	}
}
