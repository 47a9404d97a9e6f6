package org.lumina.mgpt.runtime.task.read;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Reads a grayscale depth answer ({@code "encoding": "grayscale"}): gray = mean of R, G, B,
 * divided by 255. The result is RELATIVE depth in [0, 1] where LARGER MEANS NEARER, whatever
 * the manifest's polarity: with {@code "near": "bright"} the value is the gray level, with
 * {@code "near": "dark"} it is {@code 1 - gray}. It is not metric (the manifest's
 * {@code "scale": "relative"}). Immutable and thread-safe.
 */
public final class DepthReader implements OutputReader {

	private final boolean nearIsBright;

	/**
	 * @param convention the manifest's {@code outputs.depth} object
	 * @throws IllegalArgumentException naming the key when the convention is not a grayscale one
	 *           with {@code near} = {@code bright} or {@code dark}
	 */
	public DepthReader(final JsonNode convention) {
		Conventions.requireEncoding("depth", convention, "grayscale");
		nearIsBright = "bright".equals(Conventions.choice("depth", convention, "near", "bright", "dark"));
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return a new raster, dims X, Y, values in [0, 1], larger = nearer
	 */
	public Img<FloatType> depth(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		Conventions.checkRgb(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final float[] out = new float[w * h];
		final RandomAccess<UnsignedByteType> in = Views.zeroMin(rgb).randomAccess();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				in.setPosition(y, 1);
				int sum = 0;
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					sum += in.get().get();
				}
				final float gray = sum / (3f * 255f);
				out[y * w + x] = nearIsBright ? gray : 1f - gray;
			}
		}
		return ArrayImgs.floats(out, w, h);
	}

	@Override
	public TaskOutput read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return new TaskOutput.Depth(depth(rgb));
	}
}
