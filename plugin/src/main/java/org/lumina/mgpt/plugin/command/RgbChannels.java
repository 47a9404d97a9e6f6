package org.lumina.mgpt.plugin.command;

/** Parses the {@code rgb_channels} field: three 1-based channel indices, or empty for automatic. */
final class RgbChannels {

	private RgbChannels() {}

	/**
	 * @param text e.g. {@code "1,2,3"} or {@code "2 1 0"}; blank = automatic
	 * @return the three indices, or {@code null} for automatic
	 * @throws IllegalArgumentException naming the field and the value received
	 */
	static int[] parse(final String text) {
		if (text == null || text.isBlank()) return null;
		final String[] parts = text.trim().split("[,\\s]+");
		if (parts.length != 3) {
			throw new IllegalArgumentException("rgb_channels must be three channel numbers for R,G,B such as 1,2,3 " +
				"(0 = black), or empty for automatic; got '" + text + "'");
		}
		final int[] channels = new int[3];
		for (int i = 0; i < 3; i++) {
			try {
				channels[i] = Integer.parseInt(parts[i]);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("rgb_channels must be three channel numbers for R,G,B such as 1,2,3 " +
					"(0 = black), or empty for automatic; got '" + text + "'", e);
			}
		}
		return channels;
	}
}
