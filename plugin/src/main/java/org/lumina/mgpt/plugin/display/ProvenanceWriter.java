package org.lumina.mgpt.plugin.display;

import java.util.Map;

import ij.ImagePlus;

/**
 * Writes provenance into an image: {@code key=value} lines in its Info property (shown by
 * Image &gt; Show Info, saved in TIFFs) and one image property {@code lumina.<key>} per key
 * (readable from macros with {@code Property.get("lumina.task")}).
 */
public final class ProvenanceWriter {

	/** The prefix of the image properties. */
	public static final String PREFIX = "lumina.";

	private ProvenanceWriter() {}

	/**
	 * Replaces the image's Info with the provenance lines (line breaks inside values written as
	 * {@code \n}) and sets the properties. Modifies {@code image}: use it on result images only.
	 */
	public static void write(final ImagePlus image, final Map<String, String> provenance) {
		image.setProperty("Info", infoText(provenance));
		provenance.forEach((key, value) -> image.setProp(PREFIX + key, value));
	}

	/** @return the {@code key=value} lines, each ending in a line break */
	public static String infoText(final Map<String, String> provenance) {
		final StringBuilder info = new StringBuilder();
		provenance.forEach((key, value) -> info.append(key).append('=').append(escape(value)).append('\n'));
		return info.toString();
	}

	private static String escape(final String value) {
		return value == null ? "" : value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
	}
}
