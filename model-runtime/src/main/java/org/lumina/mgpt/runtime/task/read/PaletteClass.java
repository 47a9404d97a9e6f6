package org.lumina.mgpt.runtime.task.read;

/**
 * A named colour of a manifest's palette: a segmentation class, or a keypoint of a pose map.
 *
 * @param name the class or keypoint name, e.g. {@code background}, {@code left_hand}
 * @param red 0..255
 * @param green 0..255
 * @param blue 0..255
 */
public record PaletteClass(String name, int red, int green, int blue) {

	/** @throws IllegalArgumentException when a component is outside 0..255 */
	public PaletteClass {
		for (final int v : new int[] { red, green, blue }) {
			if (v < 0 || v > 255) {
				throw new IllegalArgumentException("palette colour '" + name + "' needs rgb components in 0..255, got " +
					red + "," + green + "," + blue);
			}
		}
	}

	/** @return {@code 0xRRGGBB} */
	public int rgb() {
		return red << 16 | green << 8 | blue;
	}
}
