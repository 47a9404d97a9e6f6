package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.function.BiPredicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link ShapeFeatures} on shapes deformed the way a VQ round trip deforms them (seen on the
 * round trips of the synthetic scenes): rounded corners and tips, wavy outlines, a ring's band
 * broken open.
 */
class ShapeFeaturesTest {

	private static final int SIZE = 90;
	private static final double C = 45, R = 30;

	@Test
	void idealShapes() {
		assertEquals("disc", shapeOf((x, y) -> Math.hypot(x - C, y - C) <= R));
		assertEquals("square", shapeOf(square(0)));
		assertEquals("triangle", shapeOf(triangle(0)));
		assertEquals("ring", shapeOf((x, y) -> Math.hypot(x - C, y - C) <= R && Math.hypot(x - C, y - C) >= 0.55 * R));
	}

	/** A square with corners rounded by a third of its half side is still a square. */
	@Test
	void roundedSquareIsASquare() {
		assertEquals("square", shapeOf(square(0.33 * 0.82 * R)));
	}

	/**
	 * A square whose edges wave (three waves a side, 8 % of its half side) and whose corners are
	 * rounded is still a square, although its bounding box grows and it fills less of it.
	 */
	@Test
	void wavySquareIsASquare() {
		final BiPredicate<Double, Double> rounded = square(0.4 * 0.82 * R);
		assertEquals("square", shapeOf((x, y) -> rounded.test(C + (x - C) / (1 + 0.08 * Math.sin((y - C) / (0.82 * R) * 3 *
			Math.PI)), C + (y - C) / (1 + 0.08 * Math.sin((x - C) / (0.82 * R) * 3 * Math.PI)))));
	}

	/** A triangle whose tips are cut back by a quarter of its size is still a triangle. */
	@Test
	void bluntTriangleIsATriangle() {
		assertEquals("triangle", shapeOf(triangle(0.25)));
	}

	/** A disc with a wavy outline (6 waves of 8 % of the radius) is neither square nor triangle. */
	@Test
	void wavyDiscIsADisc() {
		assertEquals("disc", shapeOf((x, y) -> Math.hypot(x - C, y - C) <= R * (1 + 0.08 * Math.cos(6 * Math.atan2(y -
			C, x - C)))));
	}

	/** A ring whose band is broken open (no hole to fill) is still a ring. */
	@Test
	void brokenRingIsARing() {
		assertEquals("ring", shapeOf((x, y) -> {
			final double d = Math.hypot(x - C, y - C);
			return d <= R && d >= 0.55 * R && !(x > C && Math.abs(y - C) < 5);
		}));
	}

	/**
	 * A disc with a deep bite out of one side (as a nearer object hides) leaves its hull uncovered
	 * but its centre covered: not a ring, whatever its outline then resembles.
	 */
	@Test
	void bittenDiscIsNotARing() {
		assertNotEquals("ring", shapeOf((x, y) -> Math.hypot(x - C, y - C) <= R && Math.hypot(x - C - R, y - C) > 0.5 * R));
	}

	// -- Helper methods --

	/** @return the axis-aligned square of half side 0.82 R (as the scenes draw it), corners rounded */
	private static BiPredicate<Double, Double> square(final double cornerRadius) {
		final double half = 0.82 * R, inner = half - cornerRadius;
		return (x, y) -> {
			final double dx = Math.max(0, Math.abs(x - C) - inner), dy = Math.max(0, Math.abs(y - C) - inner);
			return Math.abs(x - C) <= half && Math.abs(y - C) <= half && Math.hypot(dx, dy) <= cornerRadius + 1e-9;
		};
	}

	/**
	 * @return the apex-up triangle inscribed in the circle of radius R, with each tip cut off where
	 *         the distance from the centre exceeds {@code 1 - cut} times R
	 */
	private static BiPredicate<Double, Double> triangle(final double cut) {
		final double[][] t = IntStream.range(0, 3).mapToObj(k -> Math.toRadians(-90 + 120 * k)).map(a -> new double[] {
			C + R * Math.cos(a), C + R * Math.sin(a) }).toArray(double[][]::new);
		return (x, y) -> {
			boolean negative = false, positive = false;
			for (int k = 0; k < 3; k++) {
				final double[] a = t[k], b = t[(k + 1) % 3];
				final double side = (x - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (y - b[1]);
				negative |= side < 0;
				positive |= side > 0;
			}
			return !(negative && positive) && Math.hypot(x - C, y - C) <= (1 - cut) * R;
		};
	}

	/** @return the shape {@link ShapeFeatures} names for the pixels whose centres satisfy {@code inside} */
	private static String shapeOf(final BiPredicate<Double, Double> inside) {
		final int[] region = IntStream.range(0, SIZE * SIZE).filter(p -> inside.test(p % SIZE + 0.5, p / SIZE + 0.5))
			.toArray();
		int x0 = SIZE, y0 = SIZE, x1 = -1, y1 = -1;
		for (final int p : region) {
			x0 = Math.min(x0, p % SIZE);
			x1 = Math.max(x1, p % SIZE);
			y0 = Math.min(y0, p / SIZE);
			y1 = Math.max(y1, p / SIZE);
		}
		return ShapeFeatures.of(region, new PixelBox(x0, y0, x1, y1), SIZE).shape();
	}
}
