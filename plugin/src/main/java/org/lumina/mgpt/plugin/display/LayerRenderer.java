package org.lumina.mgpt.plugin.display;

import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

/**
 * Renders result planes to RGB for overlay layers ({@code ImageRoi}s), without a display. An
 * {@code ImageRoi} is saved as rendered 8-bit pixels, so layers are for looking only: the numbers
 * stay in the result images.
 */
public final class LayerRenderer {

	private LayerRenderer() {}

	/**
	 * @param plane a gray plane (8, 16 or 32-bit)
	 * @param lut the colours
	 * @param min the value shown as LUT index 0
	 * @param max the value shown as LUT index 255
	 * @return a new RGB rendering; NaN is black
	 */
	public static ColorProcessor withLut(final ImageProcessor plane, final LUT lut, final double min,
		final double max)
	{
		final int w = plane.getWidth();
		final int h = plane.getHeight();
		final ColorProcessor out = new ColorProcessor(w, h);
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		lut.getReds(r);
		lut.getGreens(g);
		lut.getBlues(b);
		final double scale = max > min ? 255 / (max - min) : 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double v = plane.getf(x, y);
				final int i = Double.isNaN(v) ? 0 : (int) Math.max(0, Math.min(255, Math.round((v - min) * scale)));
				out.set(x, y, (r[i] & 0xff) << 16 | (g[i] & 0xff) << 8 | b[i] & 0xff);
			}
		}
		return out;
	}

	/**
	 * @param x the x components of unit normals
	 * @param y the y components
	 * @param z the z components
	 * @return a new RGB rendering, {@code channel = (n + 1) / 2 * 255}
	 */
	public static ColorProcessor normals(final ImageProcessor x, final ImageProcessor y, final ImageProcessor z) {
		final int w = x.getWidth();
		final int h = x.getHeight();
		final ColorProcessor out = new ColorProcessor(w, h);
		for (int j = 0; j < h; j++) {
			for (int i = 0; i < w; i++) {
				out.set(i, j, channel(x.getf(i, j)) << 16 | channel(y.getf(i, j)) << 8 | channel(z.getf(i, j)));
			}
		}
		return out;
	}

	private static int channel(final float n) {
		return Float.isNaN(n) ? 0 : Math.max(0, Math.min(255, Math.round((n + 1) / 2 * 255)));
	}
}
