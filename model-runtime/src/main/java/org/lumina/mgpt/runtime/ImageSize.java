package org.lumina.mgpt.runtime;

/**
 * A pixel size of an image the model reads or writes; both sides are multiples of 32 for model
 * images (one size token covers 32 px, one VQ token 16 px).
 *
 * @param width width in pixels
 * @param height height in pixels
 */
public record ImageSize(int width, int height) {

	public ImageSize {
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
		}
	}

	/**
	 * Parses {@code "WxH"}, e.g. {@code "512x384"}.
	 *
	 * @throws IllegalArgumentException naming the expected form when {@code text} does not match
	 */
	public static ImageSize parse(final String text) {
		final String[] parts = text.trim().toLowerCase().split("x");
		if (parts.length != 2) {
			throw new IllegalArgumentException("size must be WIDTHxHEIGHT, e.g. 512x512, got '" + text + "'");
		}
		try {
			return new ImageSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("size must be WIDTHxHEIGHT, e.g. 512x512, got '" + text + "'");
		}
	}

	@Override
	public String toString() {
		return width + "x" + height;
	}
}
