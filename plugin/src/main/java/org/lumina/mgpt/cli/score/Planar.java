package org.lumina.mgpt.cli.score;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * A raster copied into one planar array, for metrics that walk pixels by index.
 *
 * @param width columns
 * @param height rows
 * @param channels planes (1 for a map, 3 for RGB or vectors)
 * @param values {@code channels * height * width} values, index {@code (c * height + y) * width + x}
 */
public record Planar(int width, int height, int channels, float[] values) {

	/** @throws IllegalArgumentException when the array does not hold {@code channels * height * width} values */
	public Planar {
		if (values.length != (long) channels * height * width) {
			throw new IllegalArgumentException("a " + width + "x" + height + "x" + channels + " raster needs " +
				(long) channels * height * width + " values, got " + values.length);
		}
	}

	/**
	 * Copies a raster with dims X, Y or X, Y, C.
	 *
	 * @return a new planar copy
	 */
	public static Planar of(final RandomAccessibleInterval<? extends RealType<?>> raster) {
		final int width = Math.toIntExact(raster.dimension(0));
		final int height = Math.toIntExact(raster.dimension(1));
		final int channels = raster.numDimensions() > 2 ? Math.toIntExact(raster.dimension(2)) : 1;
		final float[] values = new float[channels * height * width];
		final Cursor<? extends RealType<?>> cursor = Views.flatIterable(raster).cursor();
		for (int i = 0; i < values.length; i++) values[i] = cursor.next().getRealFloat(); // NB: flat order is X, then Y, then C
		return new Planar(width, height, channels, values);
	}

	/** @return the pixels of one plane */
	public int pixels() {
		return width * height;
	}

	/** @return the value at {@code (x, y)} of plane {@code c} */
	public float get(final int x, final int y, final int c) {
		return values[(c * height + y) * width + x];
	}

	/** @return plane {@code c} as doubles; a new array */
	public double[] plane(final int c) {
		final double[] plane = new double[pixels()];
		for (int i = 0; i < plane.length; i++) plane[i] = values[c * pixels() + i];
		return plane;
	}

	/** @return the first plane rounded to integers (label maps); a new array */
	public int[] labels() {
		final int[] labels = new int[pixels()];
		for (int i = 0; i < labels.length; i++) labels[i] = Math.round(values[i]);
		return labels;
	}
}
