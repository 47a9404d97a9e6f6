package org.lumina.mgpt.runtime.task.read;

import java.util.Optional;

import org.lumina.mgpt.runtime.image.ResizeMapping;

/**
 * An axis-aligned box in pixels: it covers columns {@code x .. x + width - 1} and rows
 * {@code y .. y + height - 1}.
 *
 * @param x left column
 * @param y top row
 * @param width columns, {@code >= 1}
 * @param height rows, {@code >= 1}
 */
public record Box(int x, int y, int width, int height) {

	/** @throws IllegalArgumentException when a side is not positive */
	public Box {
		if (width < 1 || height < 1) {
			throw new IllegalArgumentException("box sides must be >= 1, got " + width + "x" + height);
		}
	}

	/**
	 * Maps a box of the model's answer grid onto the input picture, the way {@code mapping} maps
	 * rasters: the answer covers the padded frame, the padding is cut off, the box is clipped to
	 * the input. Its edges are scaled and rounded to the nearest pixel edge, so a box keeps its
	 * size on average whichever way the picture was scaled; one that still covers part of the
	 * input keeps at least one pixel a side.
	 *
	 * @return the box on the input, or empty when it lies wholly in the padding
	 */
	public Optional<Box> toInput(final ResizeMapping mapping) {
		final double sx = (double) mapping.padded().width() / mapping.result().width();
		final double sy = (double) mapping.padded().height() / mapping.result().height();
		final int w = mapping.input().width();
		final int h = mapping.input().height();
		final double left = clip(x * sx - mapping.padLeft(), w);
		final double right = clip((x + width) * sx - mapping.padLeft(), w);
		final double top = clip(y * sy - mapping.padTop(), h);
		final double bottom = clip((y + height) * sy - mapping.padTop(), h);
		if (right <= left || bottom <= top) return Optional.empty();
		final int x0 = Math.min(w - 1, (int) Math.round(left));
		final int y0 = Math.min(h - 1, (int) Math.round(top));
		final int x1 = Math.max(x0 + 1, (int) Math.round(right));
		final int y1 = Math.max(y0 + 1, (int) Math.round(bottom));
		return Optional.of(new Box(x0, y0, x1 - x0, y1 - y0));
	}

	private static double clip(final double v, final int max) {
		return Math.max(0, Math.min(max, v));
	}
}
