package org.lumina.mgpt.runtime.image;

/**
 * The mirror padding that brings an image beyond 4:1 back to 4:1 (the most elongated candidate
 * size), split evenly over both ends of the short side; the edge pixel is not repeated
 * (reflect, as numpy's {@code "reflect"} mode), and reflection continues periodically when the
 * padding is longer than the image.
 *
 * @param left columns added on the left
 * @param top rows added on the top
 * @param width padded width
 * @param height padded height
 */
record ReflectPadding(int left, int top, int width, int height) {

	private static final int MAX_RATIO = 4;

	/** @return the padding for an image of {@code width x height}; none within 4:1 */
	static ReflectPadding forSize(final int width, final int height) {
		if (width > MAX_RATIO * height) {
			final int padded = (width + MAX_RATIO - 1) / MAX_RATIO;
			return new ReflectPadding(0, (padded - height) / 2, width, padded);
		}
		if (height > MAX_RATIO * width) {
			final int padded = (height + MAX_RATIO - 1) / MAX_RATIO;
			return new ReflectPadding((padded - width) / 2, 0, padded, height);
		}
		return new ReflectPadding(0, 0, width, height);
	}


	/** @return {@code image} padded; {@code image} itself when there is no padding */
	RgbPlanes apply(final RgbPlanes image) {
		if (width == image.width() && height == image.height()) return image;
		final byte[][] channels = new byte[3][width * height];
		for (int c = 0; c < 3; c++) {
			for (int y = 0; y < height; y++) {
				final int sy = reflect(y - top, image.height());
				for (int x = 0; x < width; x++) {
					channels[c][y * width + x] = image.channels()[c][sy * image.width() + reflect(x - left, image.width())];
				}
			}
		}
		return new RgbPlanes(width, height, channels);
	}

	/** @return {@code i} mirrored into {@code 0..n-1} without repeating the edge sample */
	static int reflect(final int i, final int n) {
		if (n == 1) return 0;
		final int period = 2 * (n - 1);
		final int m = Math.floorMod(i, period);
		return m < n ? m : period - m;
	}
}
