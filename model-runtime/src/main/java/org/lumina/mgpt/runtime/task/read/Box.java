package org.lumina.mgpt.runtime.task.read;

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
}
