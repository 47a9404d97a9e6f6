package org.lumina.mgpt.plugin.core;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;

/** Copies ImgLib2 rasters (X, Y[, C]) into ImageJ processors. */
final class Rasters {

	private Rasters() {}

	/** @return plane {@code c} of an X, Y[, C] raster (c ignored for 2D rasters) as a new float processor */
	static FloatProcessor floats(final RandomAccessibleInterval<? extends RealType<?>> raster, final int c) {
		final int w = Math.toIntExact(raster.dimension(0));
		final int h = Math.toIntExact(raster.dimension(1));
		final float[] pixels = new float[w * h];
		final RandomAccess<? extends RealType<?>> in = Views.zeroMin(raster).randomAccess();
		if (raster.numDimensions() > 2) in.setPosition(c, 2);
		for (int y = 0; y < h; y++) {
			in.setPosition(y, 1);
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				pixels[y * w + x] = in.get().getRealFloat();
			}
		}
		return new FloatProcessor(w, h, pixels);
	}

	/** @return a 2D raster of values 0..255 as a new byte processor */
	static ByteProcessor bytes(final RandomAccessibleInterval<? extends RealType<?>> raster) {
		return floats(raster, 0).convertToByteProcessor(false);
	}

	/** @return an X, Y, C (C = 3) raster of values 0..255 (rounded, clamped) as a new RGB processor */
	static ColorProcessor rgb(final RandomAccessibleInterval<? extends RealType<?>> raster) {
		final int w = Math.toIntExact(raster.dimension(0));
		final int h = Math.toIntExact(raster.dimension(1));
		final ColorProcessor out = new ColorProcessor(w, h);
		final RandomAccess<? extends RealType<?>> in = Views.zeroMin(raster).randomAccess();
		for (int y = 0; y < h; y++) {
			in.setPosition(y, 1);
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				int argb = 0;
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					final long v = Math.round(in.get().getRealDouble());
					argb = argb << 8 | (int) Math.max(0, Math.min(255, v));
				}
				out.set(x, y, argb);
			}
		}
		return out;
	}
}
