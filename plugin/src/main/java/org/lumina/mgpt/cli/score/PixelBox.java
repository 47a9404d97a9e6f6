package org.lumina.mgpt.cli.score;

import org.lumina.mgpt.runtime.task.read.Box;

/**
 * A box by its inclusive pixel bounds, as the held-out scenes state boxes ({@code [x0, y0, x1, y1]}).
 *
 * @param x0 left column
 * @param y0 top row
 * @param x1 right column, {@code >= x0}
 * @param y1 bottom row, {@code >= y0}
 */
public record PixelBox(int x0, int y0, int x1, int y1) {

	/** @throws IllegalArgumentException when a bound is reversed */
	public PixelBox {
		if (x1 < x0 || y1 < y0) throw new IllegalArgumentException("box bounds must satisfy x0 <= x1, y0 <= y1, got [" + x0 +
			", " + y0 + ", " + x1 + ", " + y1 + "]");
	}

	/** @return the reader's box ({@code x, y, width, height}) as bounds */
	public static PixelBox of(final Box box) {
		return new PixelBox(box.x(), box.y(), box.x() + box.width() - 1, box.y() + box.height() - 1);
	}

	/** @return the pixels the box covers */
	public long area() {
		return (long) (x1 - x0 + 1) * (y1 - y0 + 1);
	}

	/** @return intersection over union of the covered pixels, in [0, 1] */
	public double iou(final PixelBox other) {
		final long w = Math.min(x1, other.x1) - Math.max(x0, other.x0) + 1L;
		final long h = Math.min(y1, other.y1) - Math.max(y0, other.y0) + 1L;
		final long intersection = w > 0 && h > 0 ? w * h : 0;
		return (double) intersection / (area() + other.area() - intersection);
	}

	/** @return whether the pixel lies inside */
	public boolean contains(final int x, final int y) {
		return x >= x0 && x <= x1 && y >= y0 && y <= y1;
	}
}
