package org.lumina.mgpt.runtime.image;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Util;
import net.imglib2.view.Views;

import org.lumina.mgpt.runtime.ImageSize;

/**
 * How an input image became a model-sized one, and the inverse: rasters of the {@code result}
 * size (the model's answer) are resized back over the padded frame and the padding is cut off,
 * so they line up pixel for pixel with the input. Pixel centres are aligned (a pixel at
 * {@code x} covers {@code [x, x+1)}).
 *
 * @param input the input's size
 * @param padLeft columns of reflect padding left of the input
 * @param padTop rows of reflect padding above the input
 * @param padded the size after padding, which the result covers
 * @param result the model size
 */
public record ResizeMapping(ImageSize input, int padLeft, int padTop, ImageSize padded, ImageSize result) {

	/**
	 * Maps a label raster (segmentation classes, ids) back with nearest-neighbour sampling.
	 *
	 * @param labels dims X, Y of the {@code result} size, then any further dims (kept as they are)
	 * @return a new raster of the input's X, Y size
	 * @throws IllegalArgumentException when X, Y are not the result size
	 */
	public <T extends NativeType<T>> Img<T> labelsToInput(final RandomAccessibleInterval<T> labels) {
		final long[] dims = outputDims(labels);
		final Img<T> out = new ArrayImgFactory<>(Util.getTypeFromInterval(labels).createVariable()).create(dims);
		final int[] xs = nearest(input.width(), padLeft, padded.width(), result.width());
		final int[] ys = nearest(input.height(), padTop, padded.height(), result.height());
		final RandomAccess<T> in = Views.zeroMin(labels).randomAccess();
		final Cursor<T> cursor = out.localizingCursor();
		while (cursor.hasNext()) {
			cursor.fwd();
			in.setPosition(cursor);
			in.setPosition(xs[cursor.getIntPosition(0)], 0);
			in.setPosition(ys[cursor.getIntPosition(1)], 1);
			cursor.get().set(in.get());
		}
		return out;
	}

	/**
	 * Maps a continuous raster (depth, normals, probabilities) back with bilinear interpolation,
	 * clamped at the borders.
	 *
	 * @param map dims X, Y of the {@code result} size, then any further dims (kept as they are)
	 * @return a new float raster of the input's X, Y size
	 * @throws IllegalArgumentException when X, Y are not the result size
	 */
	public Img<FloatType> toInput(final RandomAccessibleInterval<? extends RealType<?>> map) {
		final Img<FloatType> out = ArrayImgs.floats(outputDims(map));
		final Linear xs = Linear.of(input.width(), padLeft, padded.width(), result.width());
		final Linear ys = Linear.of(input.height(), padTop, padded.height(), result.height());
		final RandomAccess<? extends RealType<?>> in = Views.zeroMin(map).randomAccess();
		final Cursor<FloatType> cursor = out.localizingCursor();
		while (cursor.hasNext()) {
			cursor.fwd();
			in.setPosition(cursor);
			final int x = cursor.getIntPosition(0);
			final int y = cursor.getIntPosition(1);
			final double top = sample(in, xs, x, ys.low[y]);
			final double bottom = sample(in, xs, x, ys.high[y]);
			cursor.get().setReal(top + ys.fraction[y] * (bottom - top));
		}
		return out;
	}

	private static double sample(final RandomAccess<? extends RealType<?>> in, final Linear xs, final int x,
		final int y)
	{
		in.setPosition(y, 1);
		in.setPosition(xs.low[x], 0);
		final double left = in.get().getRealDouble();
		in.setPosition(xs.high[x], 0);
		return left + xs.fraction[x] * (in.get().getRealDouble() - left);
	}

	private long[] outputDims(final RandomAccessibleInterval<?> raster) {
		final long[] dims = raster.dimensionsAsLongArray();
		if (dims.length < 2 || dims[0] != result.width() || dims[1] != result.height()) {
			throw new IllegalArgumentException("the raster to map back must be " + result + " in X, Y, got " +
				Arrays.toString(dims));
		}
		dims[0] = input.width();
		dims[1] = input.height();
		return dims;
	}

	/** @return the position of input pixel {@code i}'s centre along one axis of the result */
	private static double toResult(final int i, final int pad, final int paddedSize, final int resultSize) {
		return (i + pad + 0.5) * resultSize / paddedSize - 0.5;
	}

	private static int[] nearest(final int size, final int pad, final int paddedSize, final int resultSize) {
		final int[] index = new int[size];
		for (int i = 0; i < size; i++) {
			final int r = (int) Math.floor(toResult(i, pad, paddedSize, resultSize) + 0.5);
			index[i] = Math.max(0, Math.min(resultSize - 1, r));
		}
		return index;
	}

	/** The two result samples around each input pixel along one axis, and the weight of the second. */
	private record Linear(int[] low, int[] high, double[] fraction) {

		static Linear of(final int size, final int pad, final int paddedSize, final int resultSize) {
			final int[] low = new int[size];
			final int[] high = new int[size];
			final double[] fraction = new double[size];
			for (int i = 0; i < size; i++) {
				final double r = Math.max(0, Math.min(resultSize - 1, toResult(i, pad, paddedSize, resultSize)));
				low[i] = (int) Math.floor(r);
				high[i] = Math.min(low[i] + 1, resultSize - 1);
				fraction[i] = r - low[i];
			}
			return new Linear(low, high, fraction);
		}
	}
}
