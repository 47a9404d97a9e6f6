package org.lumina.mgpt.cli.score;

/**
 * The measurements that tell the scene shapes apart, of one region with its holes filled.
 *
 * @param holeShare the share of the filled area that is hole (a ring's is about 0.3)
 * @param topToBottom filled area in the upper half of the bounding box over that in the lower
 *          half (an apex-up triangle's is 1/3, the other shapes' about 1)
 * @param extent the share of the bounding box the filled region covers (square 1, disc pi/4,
 *          triangle 1/2)
 */
public record ShapeFeatures(double holeShare, double topToBottom, double extent) {

	/** @return {@code ring}, {@code triangle}, {@code square} or {@code disc} */
	public String shape() {
		if (holeShare >= 0.08) return "ring";
		if (topToBottom < 0.6) return "triangle";
		if (extent >= 0.88) return "square";
		return "disc";
	}

	/**
	 * @param region pixel indices {@code y * width + x}
	 * @param bounds the region's bounding box
	 * @param width the picture's width
	 */
	public static ShapeFeatures of(final int[] region, final PixelBox bounds, final int width) {
		final int bw = bounds.x1() - bounds.x0() + 1;
		final int bh = bounds.y1() - bounds.y0() + 1;
		final boolean[] inside = new boolean[bw * bh];
		for (final int p : region) inside[(p / width - bounds.y0()) * bw + p % width - bounds.x0()] = true;
		final boolean[] outside = outside(inside, bw, bh);
		int filled = 0, top = 0, bottom = 0;
		for (int y = 0; y < bh; y++) {
			for (int x = 0; x < bw; x++) {
				if (outside[y * bw + x]) continue;
				filled++;
				if (2 * y < bh - 1) top++;
				else if (2 * y > bh - 1) bottom++;
			}
		}
		return new ShapeFeatures((double) (filled - region.length) / filled, bottom == 0 ? 1 : (double) top / bottom,
			(double) filled / (bw * bh));
	}

	/** @return the pixels outside the region reachable from the box's border (4-connected) */
	private static boolean[] outside(final boolean[] inside, final int bw, final int bh) {
		final boolean[] outside = new boolean[inside.length];
		final int[] stack = new int[inside.length];
		int top = 0;
		for (int i = 0; i < inside.length; i++) {
			final int x = i % bw, y = i / bw;
			if ((x == 0 || y == 0 || x == bw - 1 || y == bh - 1) && !inside[i]) {
				outside[i] = true;
				stack[top++] = i;
			}
		}
		while (top > 0) {
			final int p = stack[--top];
			final int x = p % bw;
			for (final int q : new int[] { x > 0 ? p - 1 : -1, x < bw - 1 ? p + 1 : -1, p - bw, p + bw }) {
				if (q >= 0 && q < inside.length && !inside[q] && !outside[q]) {
					outside[q] = true;
					stack[top++] = q;
				}
			}
		}
		return outside;
	}
}
