package org.lumina.mgpt.runtime.vq;

import java.util.Arrays;

/**
 * A grid of VQ codebook indices in raster order, one code per 16x16 pixel patch.
 *
 * @param height rows (latent height, {@code pixelHeight / 16})
 * @param width columns (latent width)
 * @param codes row-major codes, length {@code height * width}
 */
public record CodeGrid(int height, int width, int[] codes) {

	public CodeGrid {
		if (height <= 0 || width <= 0) {
			throw new IllegalArgumentException("code grid must be at least 1x1, got " + height + "x" + width);
		}
		if (codes.length != height * width) {
			throw new IllegalArgumentException("code grid " + height + "x" + width + " needs " + height * width +
				" codes, got " + codes.length);
		}
	}

	/** @return the code at row {@code y}, column {@code x} */
	public int code(final int y, final int x) {
		return codes[y * width + x];
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof CodeGrid g && g.height == height && g.width == width && Arrays.equals(g.codes, codes);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * height + width) + Arrays.hashCode(codes);
	}

	@Override
	public String toString() {
		return "CodeGrid[" + height + "x" + width + "]";
	}
}
