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
 * Reads a surface-normal answer ({@code "encoding": "rgb"}): each channel {@code v} gives a
 * component {@code n = v / 255 * 2 - 1} (the inverse of {@code channel = (n + 1) / 2 * 255}),
 * whose sign follows the manifest's axes ({@code x}: right|left, {@code y}: up|down, {@code z}:
 * toward_viewer|away_from_viewer), and the vector is renormalised. The result is always in the
 * frame x right, y up, z toward the viewer. A zero vector (impossible from 8-bit channels, kept
 * for safety) stays zero. Immutable and thread-safe.
 */
public final class NormalsReader implements OutputReader {

	private final float[] sign = new float[3];

	/**
	 * @param convention the manifest's {@code outputs.normals} object
	 * @throws IllegalArgumentException naming the key when the encoding or an axis is not known
	 */
	public NormalsReader(final JsonNode convention) {
		Conventions.requireEncoding("normals", convention, "rgb");
		sign[0] = "right".equals(Conventions.choice("normals", convention, "x", "right", "left")) ? 1 : -1;
		sign[1] = "up".equals(Conventions.choice("normals", convention, "y", "up", "down")) ? 1 : -1;
		sign[2] = "toward_viewer".equals(Conventions.choice("normals", convention, "z", "toward_viewer",
			"away_from_viewer")) ? 1 : -1;
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return a new raster, dims X, Y, C (C = 3: x, y, z), unit vectors
	 */
	public Img<FloatType> normals(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		Conventions.checkRgb(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final int n = w * h;
		final float[] out = new float[3 * n]; // [C, Y, X]
		final RandomAccess<UnsignedByteType> in = Views.zeroMin(rgb).randomAccess();
		final float[] v = new float[3];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				in.setPosition(y, 1);
				double length = 0;
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					v[c] = sign[c] * (in.get().get() / 255f * 2f - 1f);
					length += v[c] * v[c];
				}
				final float scale = length > 0 ? (float) (1 / Math.sqrt(length)) : 0f;
				for (int c = 0; c < 3; c++) out[c * n + y * w + x] = v[c] * scale;
			}
		}
		return ArrayImgs.floats(out, w, h, 3);
	}

	@Override
	public TaskOutput read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return new TaskOutput.Normals(normals(rgb));
	}
}
