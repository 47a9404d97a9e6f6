package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

class NormalsReaderTest {

	private static final String UP = "{'encoding': 'rgb', 'x': 'right', 'y': 'up', 'z': 'toward_viewer'}";
	private static final int SIZE = 64;
	private static final double R = 28;

	/** The true normal of a sphere centred in the image (x right, y up, z toward the viewer), or null outside. */
	private static double[] sphere(final int x, final int y) {
		final double nx = (x + 0.5 - SIZE / 2.0) / R;
		final double ny = -(y + 0.5 - SIZE / 2.0) / R;
		final double r2 = nx * nx + ny * ny;
		return r2 >= 1 ? null : new double[] { nx, ny, Math.sqrt(1 - r2) };
	}

	private static Img<UnsignedByteType> render(final int ySign) {
		return AnswerImages.paint(SIZE, SIZE, (x, y) -> {
			final double[] n = sphere(x, y);
			if (n == null) return 128 << 16 | 128 << 8 | 255;
			final int r = (int) Math.round((n[0] + 1) / 2 * 255);
			final int g = (int) Math.round((ySign * n[1] + 1) / 2 * 255);
			final int b = (int) Math.round((n[2] + 1) / 2 * 255);
			return r << 16 | g << 8 | b;
		});
	}

	/** {@link NormalsReader#normals}: a sphere's normals come back as unit vectors within 8-bit precision. */
	@Test
	void sphere() {
		check(new NormalsReader(AnswerImages.json(UP)).normals(render(1)));
	}

	/** {@link NormalsReader#normals}: a "y": "down" convention is flipped to y up. */
	@Test
	void sphereYDown() {
		check(new NormalsReader(AnswerImages.json(UP.replace("'up'", "'down'"))).normals(render(-1)));
	}

	private static void check(final Img<FloatType> normals) {
		assertEquals(3, normals.dimension(2));
		final RandomAccess<FloatType> a = normals.randomAccess();
		int inside = 0;
		for (int y = 0; y < SIZE; y++) {
			for (int x = 0; x < SIZE; x++) {
				final float[] v = new float[3];
				for (int c = 0; c < 3; c++) {
					a.setPosition(new int[] { x, y, c });
					v[c] = a.get().get();
				}
				assertEquals(1, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), 1e-5, "unit length at " + x + "," + y);
				final double[] n = sphere(x, y);
				if (n == null) continue;
				inside++;
				for (int c = 0; c < 3; c++) assertEquals(n[c], v[c], 0.02, "component " + c + " at " + x + "," + y);
			}
		}
		assertEquals(true, inside > 2000);
	}
}
