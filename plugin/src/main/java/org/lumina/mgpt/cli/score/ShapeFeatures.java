package org.lumina.mgpt.cli.score;

import java.util.Arrays;

/**
 * The measurements that tell the scene shapes apart, of one region, robust to what a VQ round trip
 * does to them: rounded corners and tips, wavy edges, a ring's hole closed or its band broken.
 * <p>
 * A ring is told by its hole, or, when the band is broken open (a "C", which has no hole to
 * fill), by an empty centre inside a hull it leaves largely uncovered. The other shapes are told
 * by their outline seen from the centroid: the distance to the outline by direction (36 sectors)
 * is compared with that of the ideal axis-aligned square (far at the four diagonals) and of the
 * ideal apex-up triangle (far at its three tips). A disc's distance is flat; a square whose
 * corners a round trip rounded keeps its four bulges, only smaller.
 *
 * @param holeShare the share of the hole-filled area that is hole (a ring's is about 0.3)
 * @param hullDeficit the share of the region's convex hull it does not cover (a ring's 0.3 or
 *          more, a filled shape's a few percent)
 * @param centreCover the share of the disc around the centroid (radius 0.3 times that of a disc as
 *          large as the hull) the region covers (a ring's 0, a filled shape's 1)
 * @param squareness the outline's resemblance to the ideal square's: 1 as the ideal, 0 as flat as a
 *          disc
 * @param triangularity the same for the ideal triangle
 */
public record ShapeFeatures(double holeShare, double hullDeficit, double centreCover, double squareness,
	double triangularity) {

	/** A region with at least this share of hole is a ring. */
	static final double RING_HOLE_SHARE = 0.08;
	/** A region without a hole is a broken ring when its hull is this much uncovered ... */
	static final double RING_HULL_DEFICIT = 0.15;
	/** ... and its centre less than this much covered. */
	static final double RING_CENTRE_COVER = 0.5;
	/**
	 * The resemblance an outline needs to be a square or a triangle rather than a disc (chosen on VQ
	 * round trips of 500 training scenes: 0.3 called 5 discs squares, 0.35 three).
	 */
	static final double MIN_RESEMBLANCE = 0.35;

	private static final int SECTORS = 36;
	private static final double[] SQUARE_PROFILE = profile(ideal("square"));
	private static final double[] TRIANGLE_PROFILE = profile(ideal("triangle"));

	/** @return {@code ring}, {@code triangle}, {@code square} or {@code disc} */
	public String shape() {
		if (holeShare >= RING_HOLE_SHARE || hullDeficit >= RING_HULL_DEFICIT && centreCover < RING_CENTRE_COVER) {
			return "ring";
		}
		if (Math.max(squareness, triangularity) < MIN_RESEMBLANCE) return "disc";
		return squareness >= triangularity ? "square" : "triangle";
	}

	/**
	 * @param region pixel indices {@code y * width + x}
	 * @param bounds the region's bounding box
	 * @param width the picture's width
	 */
	public static ShapeFeatures of(final int[] region, final PixelBox bounds, final int width) {
		final int bw = bounds.x1() - bounds.x0() + 1;
		final Mask inside = new Mask(bw, bounds.y1() - bounds.y0() + 1);
		for (final int p : region) inside.set(p % width - bounds.x0(), p / width - bounds.y0());
		final Mask filled = inside.withHolesFilled();
		final double hull = inside.hullArea();
		final double[] centroid = inside.centroid();
		final double radius = 0.3 * Math.sqrt(hull / Math.PI);
		final double[] outline = profile(filled);
		final int area = inside.count(), filledArea = filled.count();
		return new ShapeFeatures((double) (filledArea - area) / filledArea, 1 - area / hull, inside.coverWithin(centroid[0],
			centroid[1], radius), resemblance(outline, SQUARE_PROFILE), resemblance(outline, TRIANGLE_PROFILE));
	}

	// -- Helper methods --

	/** @return the projection of {@code outline} on {@code ideal}, in units of the ideal */
	private static double resemblance(final double[] outline, final double[] ideal) {
		double dot = 0, norm = 0;
		for (int k = 0; k < SECTORS; k++) {
			dot += outline[k] * ideal[k];
			norm += ideal[k] * ideal[k];
		}
		return dot / norm;
	}

	/**
	 * @return per sector of directions seen from the centroid, the farthest outline pixel's
	 *         distance, relative to the mean over the sectors, minus 1 (a disc's is 0 everywhere)
	 */
	private static double[] profile(final Mask shape) {
		final double[] c = shape.centroid();
		final double[] far = new double[SECTORS];
		for (int y = 0; y < shape.height; y++) {
			for (int x = 0; x < shape.width; x++) {
				if (!shape.get(x, y) || !shape.onOutline(x, y)) continue;
				final double dx = x - c[0], dy = y - c[1];
				final int sector = Math.floorMod((int) Math.floor((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI) * SECTORS),
					SECTORS);
				far[sector] = Math.max(far[sector], Math.hypot(dx, dy));
			}
		}
		// NB: a small region leaves sectors without an outline pixel: they take their neighbours'
		for (int k = 0; k < SECTORS; k++) {
			if (far[k] == 0) far[k] = Math.max(far[Math.floorMod(k - 1, SECTORS)], far[(k + 1) % SECTORS]);
		}
		double mean = 0;
		for (final double d : far) mean += d / SECTORS;
		for (int k = 0; k < SECTORS; k++) far[k] = far[k] / mean - 1;
		return far;
	}

	/** @return the ideal shape as the scenes render it (radius 30 on a 100 x 100 grid) */
	private static Mask ideal(final String shape) {
		final Mask mask = new Mask(100, 100);
		final double cx = 50, cy = 50, r = 30;
		// the triangle's tips: at -90, 30 and 150 degrees on the circle of radius r (apex up)
		final double[][] tips = new double[3][];
		for (int k = 0; k < 3; k++) {
			final double a = Math.toRadians(-90 + 120 * k);
			tips[k] = new double[] { cx + r * Math.cos(a), cy + r * Math.sin(a) };
		}
		for (int y = 0; y < 100; y++) {
			for (int x = 0; x < 100; x++) {
				final double px = x + 0.5, py = y + 0.5;
				final boolean in = shape.equals("square") ? Math.abs(px - cx) <= 0.82 * r && Math.abs(py - cy) <= 0.82 * r
					: insideTriangle(px, py, tips);
				if (in) mask.set(x, y);
			}
		}
		return mask;
	}

	private static boolean insideTriangle(final double px, final double py, final double[][] t) {
		boolean negative = false, positive = false;
		for (int k = 0; k < 3; k++) {
			final double[] a = t[k], b = t[(k + 1) % 3];
			final double side = (px - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (py - b[1]);
			negative |= side < 0;
			positive |= side > 0;
		}
		return !(negative && positive);
	}

	/** A binary picture of one region, in its bounding box. */
	private static final class Mask {

		final int width, height;
		private final boolean[] on;

		Mask(final int width, final int height) {
			this.width = width;
			this.height = height;
			on = new boolean[width * height];
		}

		void set(final int x, final int y) {
			on[y * width + x] = true;
		}

		boolean get(final int x, final int y) {
			return x >= 0 && y >= 0 && x < width && y < height && on[y * width + x];
		}

		int count() {
			int n = 0;
			for (final boolean b : on) if (b) n++;
			return n;
		}

		/** @return whether the (set) pixel has a 4-neighbour outside the region */
		boolean onOutline(final int x, final int y) {
			return !get(x - 1, y) || !get(x + 1, y) || !get(x, y - 1) || !get(x, y + 1);
		}

		/** @return {x, y}: the mean pixel index of the region */
		double[] centroid() {
			double sx = 0, sy = 0;
			int n = 0;
			for (int i = 0; i < on.length; i++) {
				if (!on[i]) continue;
				sx += i % width;
				sy += i / width;
				n++;
			}
			return new double[] { sx / n, sy / n };
		}

		/** @return the share of the pixels whose index lies within {@code r} of (x, y) that are set */
		double coverWithin(final double x, final double y, final double r) {
			int set = 0, all = 0;
			for (int py = (int) Math.floor(y - r); py <= Math.ceil(y + r); py++) {
				for (int px = (int) Math.floor(x - r); px <= Math.ceil(x + r); px++) {
					if ((px - x) * (px - x) + (py - y) * (py - y) > r * r) continue;
					all++;
					if (get(px, py)) set++;
				}
			}
			return all == 0 ? 1 : (double) set / all;
		}

		/** @return the region plus every pixel not reachable from the box's border around it */
		Mask withHolesFilled() {
			final boolean[] outside = new boolean[on.length];
			final int[] stack = new int[on.length];
			int top = 0;
			for (int i = 0; i < on.length; i++) {
				final int x = i % width, y = i / width;
				if ((x == 0 || y == 0 || x == width - 1 || y == height - 1) && !on[i]) {
					outside[i] = true;
					stack[top++] = i;
				}
			}
			while (top > 0) {
				final int p = stack[--top];
				final int x = p % width;
				for (final int q : new int[] { x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width }) {
					if (q >= 0 && q < on.length && !on[q] && !outside[q]) {
						outside[q] = true;
						stack[top++] = q;
					}
				}
			}
			final Mask filled = new Mask(width, height);
			for (int i = 0; i < on.length; i++) filled.on[i] = !outside[i];
			return filled;
		}

		/**
		 * @return the area of the convex hull of the set pixels' squares: the hull of each row's
		 *         outermost pixel corners (Andrew's monotone chain)
		 */
		double hullArea() {
			final long[][] corners = new long[4 * height][];
			int n = 0;
			for (int y = 0; y < height; y++) {
				int first = -1, last = -1;
				for (int x = 0; x < width; x++) {
					if (!on[y * width + x]) continue;
					if (first < 0) first = x;
					last = x;
				}
				if (first < 0) continue;
				corners[n++] = new long[] { first, y };
				corners[n++] = new long[] { first, y + 1 };
				corners[n++] = new long[] { last + 1, y };
				corners[n++] = new long[] { last + 1, y + 1 };
			}
			final long[][] points = Arrays.copyOf(corners, n);
			Arrays.sort(points, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
			final long[][] hull = new long[2 * n][];
			int k = 0;
			for (int i = 0; i < n; i++) { // lower chain
				while (k >= 2 && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) k--;
				hull[k++] = points[i];
			}
			for (int i = n - 2, lower = k + 1; i >= 0; i--) { // upper chain
				while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) k--;
				hull[k++] = points[i];
			}
			double twice = 0;
			for (int i = 0; i < k - 1; i++) twice += hull[i][0] * hull[i + 1][1] - hull[i + 1][0] * hull[i][1];
			return Math.abs(twice) / 2;
		}

		private static long cross(final long[] o, final long[] a, final long[] b) {
			return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
		}
	}
}
