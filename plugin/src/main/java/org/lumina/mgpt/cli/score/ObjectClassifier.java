package org.lumina.mgpt.cli.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the coloured shapes of a synthetic scene picture (a truth image, its VQ round trip or a
 * generated one) and names each one's colour and shape, without knowing where they are:
 * <ol>
 * <li>background: pixels within {@value #BACKGROUND_RADIUS} (RGB distance) of a background colour,
 * found among the colours of the picture's border (backgrounds are one or two base colours with
 * texture of amplitude <= 22);</li>
 * <li>colour: every other pixel gets the scene colour {@code c} that best explains it as a shade
 * {@code s * c} ({@code s} in [0.3, 1.1], the renderer's Lambert range), when the residual is
 * small; shading changes {@code s}, not the colour;</li>
 * <li>objects: 4-connected regions of one colour with at least {@value #MIN_INTERIOR} interior
 * pixels, which also make up at least 35 % of the region (so the thin mixed-colour fringes of a
 * blurred edge are not objects);</li>
 * <li>shape, from the region's hole, hull and outline as {@link ShapeFeatures} measures them: a
 * ring has a hole or an empty centre, a square bulges at its four diagonals, an apex-up triangle
 * at its three tips, a disc nowhere.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class ObjectClassifier {

	/** RGB distance from a background colour within which a pixel is background. */
	public static final double BACKGROUND_RADIUS = 45;
	/** Interior pixels (all four neighbours in the region) an object needs. */
	public static final int MIN_INTERIOR = 20;

	private static final double MIN_SHADE = 0.3;
	private static final double MAX_SHADE = 1.1;

	/**
	 * One object found.
	 *
	 * @param colour its colour name
	 * @param shape its shape name
	 * @param pixels its pixel indices ({@code y * width + x})
	 * @param bounds its bounding box
	 */
	public record Found(String colour, String shape, int[] pixels, PixelBox bounds) {}

	private final List<String> colours;
	private final double[][] rgb;

	/** @param scenes the scene colours */
	public ObjectClassifier(final SyntheticScenes scenes) {
		colours = scenes.colourNames();
		rgb = new double[colours.size()][];
		for (int k = 0; k < rgb.length; k++) rgb[k] = Arrays.stream(scenes.rgb(colours.get(k))).asDoubleStream().toArray();
	}

	/**
	 * @param picture an RGB raster (3 planes, 0..255)
	 * @return the objects found, largest first
	 */
	public List<Found> objects(final Planar picture) {
		final int[] colourOf = colourLabels(picture);
		final int w = picture.width();
		final List<Found> found = new ArrayList<>();
		final boolean[] seen = new boolean[colourOf.length];
		final int[] stack = new int[colourOf.length];
		final int[] members = new int[colourOf.length]; // NB: reused; each region keeps a copy of its part
		for (int start = 0; start < colourOf.length; start++) {
			if (colourOf[start] < 0 || seen[start]) continue;
			final int colour = colourOf[start];
			int top = 0, count = 0;
			stack[top++] = start;
			seen[start] = true;
			while (top > 0) {
				final int p = stack[--top];
				members[count++] = p;
				final int x = p % w;
				for (final int q : new int[] { x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w }) {
					if (q >= 0 && q < colourOf.length && !seen[q] && colourOf[q] == colour) {
						seen[q] = true;
						stack[top++] = q;
					}
				}
			}
			final int[] region = Arrays.copyOf(members, count);
			final int interior = interior(region, colourOf, w, colour);
			if (interior >= MIN_INTERIOR && interior >= 0.35 * count) {
				final PixelBox bounds = bounds(region, w);
				found.add(new Found(colours.get(colour), ShapeFeatures.of(region, bounds, w).shape(), region, bounds));
			}
		}
		found.sort((a, b) -> Integer.compare(b.pixels().length, a.pixels().length));
		return found;
	}

	/** @return the object with the most pixels inside {@code region}, if any lies there */
	public Optional<Found> objectIn(final Planar picture, final PixelBox region) {
		Found best = null;
		int bestInside = 0;
		for (final Found f : objects(picture)) {
			int inside = 0;
			for (final int p : f.pixels()) {
				if (region.contains(p % picture.width(), p / picture.width())) inside++;
			}
			if (inside > bestInside) {
				best = f;
				bestInside = inside;
			}
		}
		return Optional.ofNullable(best);
	}

	/**
	 * @return the object with the most pixels inside {@code region} if it has {@code colour}: what
	 *         a picture drawn for a known layout (condition to image, editing, a VQ round trip)
	 *         must hold where the layout puts an object; empty when another colour or nothing
	 *         lies there
	 */
	public Optional<Found> objectOfColourIn(final Planar picture, final PixelBox region, final String colour) {
		return objectIn(picture, region).filter(f -> f.colour().equals(colour));
	}

	// -- Helper methods --

	/** @return per pixel the index of its scene colour, or -1 (background or unexplained) */
	int[] colourLabels(final Planar picture) {
		final List<double[]> background = backgroundColours(picture);
		final int n = picture.pixels();
		final int[] labels = new int[n];
		final float[] v = picture.values();
		for (int i = 0; i < n; i++) {
			final double r = v[i], g = v[n + i], b = v[2 * n + i];
			labels[i] = -1;
			if (isBackground(r, g, b, background)) continue;
			double bestResidual = Double.MAX_VALUE;
			for (int k = 0; k < rgb.length; k++) {
				final double[] c = rgb[k];
				final double shade = Math.max(MIN_SHADE, Math.min(MAX_SHADE, (r * c[0] + g * c[1] + b * c[2]) / (c[0] * c[0] +
					c[1] * c[1] + c[2] * c[2])));
				final double residual = distance(r, g, b, shade * c[0], shade * c[1], shade * c[2]);
				// NB: the residual allowed grows with brightness: blur and VQ error scale with it
				if (residual < bestResidual && residual <= 12 + 0.12 * Math.sqrt(r * r + g * g + b * b)) {
					bestResidual = residual;
					labels[i] = k;
				}
			}
		}
		return labels;
	}

	/**
	 * @return the background colours: two centres of the border's colours (2-means, as stripes
	 *         and checkers have two), keeping only those that hold at least a quarter of the border
	 *         (an object touching the border must not become background)
	 */
	static List<double[]> backgroundColours(final Planar picture) {
		final int w = picture.width(), h = picture.height();
		final List<double[]> border = new ArrayList<>();
		for (int x = 0; x < w; x++) {
			border.add(pixel(picture, x, 0));
			border.add(pixel(picture, x, h - 1));
		}
		for (int y = 1; y < h - 1; y++) {
			border.add(pixel(picture, 0, y));
			border.add(pixel(picture, w - 1, y));
		}
		final double[][] centres = { median(border), null };
		centres[1] = border.stream().max((a, b) -> Double.compare(distance(a, centres[0]), distance(b, centres[0]))).get()
			.clone();
		final int[] members = new int[2];
		for (int iteration = 0; iteration < 8; iteration++) {
			final double[][] sums = new double[2][3];
			Arrays.fill(members, 0);
			for (final double[] p : border) {
				final int k = distance(p, centres[0]) <= distance(p, centres[1]) ? 0 : 1;
				members[k]++;
				for (int c = 0; c < 3; c++) sums[k][c] += p[c];
			}
			for (int k = 0; k < 2; k++) {
				if (members[k] > 0) for (int c = 0; c < 3; c++) centres[k][c] = sums[k][c] / members[k];
			}
		}
		final List<double[]> kept = new ArrayList<>();
		for (int k = 0; k < 2; k++) {
			if (members[k] >= border.size() / 4) kept.add(centres[k]);
		}
		return kept;
	}

	private static boolean isBackground(final double r, final double g, final double b, final List<double[]> background) {
		for (final double[] c : background) {
			if (distance(r, g, b, c[0], c[1], c[2]) <= BACKGROUND_RADIUS) return true;
		}
		return false;
	}

	private static double[] pixel(final Planar picture, final int x, final int y) {
		return new double[] { picture.get(x, y, 0), picture.get(x, y, 1), picture.get(x, y, 2) };
	}

	private static double[] median(final List<double[]> colours) {
		final double[] median = new double[3];
		for (int c = 0; c < 3; c++) {
			final int channel = c;
			final double[] values = colours.stream().mapToDouble(p -> p[channel]).sorted().toArray();
			median[c] = values[values.length / 2];
		}
		return median;
	}

	private static double distance(final double[] a, final double[] b) {
		return distance(a[0], a[1], a[2], b[0], b[1], b[2]);
	}

	private static int interior(final int[] region, final int[] colourOf, final int w, final int colour) {
		int interior = 0;
		for (final int p : region) {
			final int x = p % w;
			if (x > 0 && x < w - 1 && p - w >= 0 && p + w < colourOf.length && colourOf[p - 1] == colour &&
				colourOf[p + 1] == colour && colourOf[p - w] == colour && colourOf[p + w] == colour) interior++;
		}
		return interior;
	}

	private static PixelBox bounds(final int[] region, final int w) {
		int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
		for (final int p : region) {
			x0 = Math.min(x0, p % w);
			x1 = Math.max(x1, p % w);
			y0 = Math.min(y0, p / w);
			y1 = Math.max(y1, p / w);
		}
		return new PixelBox(x0, y0, x1, y1);
	}

	private static double distance(final double r, final double g, final double b, final double r2, final double g2,
		final double b2)
	{
		return Math.sqrt((r - r2) * (r - r2) + (g - g2) * (g - g2) + (b - b2) * (b - b2));
	}
}
