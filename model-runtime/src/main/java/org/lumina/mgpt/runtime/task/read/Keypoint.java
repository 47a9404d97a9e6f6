package org.lumina.mgpt.runtime.task.read;

import org.lumina.mgpt.runtime.image.ResizeMapping;

/**
 * A keypoint found in a picture, in continuous pixel coordinates: pixel (0, 0) covers
 * {@code [0, 1) x [0, 1)}, so its centre is (0.5, 0.5); x right, y down. These are the
 * coordinates of ImageJ's sub-pixel ROIs and of the held-out scenes' keypoint truth.
 *
 * @param name the keypoint's name in the manifest, e.g. {@code left_hand}
 * @param x column position, finite
 * @param y row position, finite
 */
public record Keypoint(String name, double x, double y) {

	/** @throws IllegalArgumentException when a coordinate is not finite */
	public Keypoint {
		if (!Double.isFinite(x) || !Double.isFinite(y)) {
			throw new IllegalArgumentException("keypoint '" + name + "' needs finite coordinates, got " + x + ", " + y);
		}
	}

	/**
	 * Maps a keypoint of the model's answer grid onto the input picture, the way {@code mapping}
	 * maps rasters: the answer covers the padded frame, the padding is cut off. NB: a keypoint
	 * in the padding is moved to the input's nearest border (as boxes are clipped to it).
	 */
	public Keypoint toInput(final ResizeMapping mapping) {
		final double inX = x * mapping.padded().width() / mapping.result().width() - mapping.padLeft();
		final double inY = y * mapping.padded().height() / mapping.result().height() - mapping.padTop();
		return new Keypoint(name, Math.max(0, Math.min(mapping.input().width(), inX)), Math.max(0, Math.min(mapping
			.input().height(), inY)));
	}
}
