package org.lumina.mgpt.runtime.task.read;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccessibleInterval;

/** Checks and reads values of one task's {@code outputs} convention, naming the key when it fails. */
final class Conventions {

	private Conventions() {}

	/** @throws IllegalArgumentException unless {@code convention.encoding} is {@code expected} */
	static void requireEncoding(final String task, final JsonNode convention, final String expected) {
		if (convention == null || !convention.isObject()) {
			throw new IllegalArgumentException("outputs." + task + " must be a JSON object, got " + convention);
		}
		final String encoding = convention.path("encoding").asText("");
		if (!expected.equals(encoding)) {
			throw new IllegalArgumentException("outputs." + task + ".encoding must be '" + expected + "' for this reader, got '" +
				encoding + "'");
		}
	}

	/** @return the lower-case text of {@code key}, which must be one of {@code allowed} */
	static String choice(final String task, final JsonNode convention, final String key, final String... allowed) {
		final String value = convention.path(key).asText("").toLowerCase(Locale.ROOT);
		if (!Arrays.asList(allowed).contains(value)) {
			throw new IllegalArgumentException("outputs." + task + "." + key + " must be one of " + Arrays.toString(allowed) +
				", got '" + convention.path(key).asText("") + "'");
		}
		return value;
	}

	/** @return {@code [r, g, b]} of an {@code [r, g, b]} array node */
	static int[] rgb(final String where, final JsonNode node) {
		if (node == null || !node.isArray() || node.size() != 3) {
			throw new IllegalArgumentException(where + " must be an [r, g, b] array, got " + node);
		}
		final int[] rgb = new int[3];
		for (int c = 0; c < 3; c++) {
			if (!node.get(c).canConvertToInt() || node.get(c).asInt() < 0 || node.get(c).asInt() > 255) {
				throw new IllegalArgumentException(where + " components must be integers in 0..255, got " + node);
			}
			rgb[c] = node.get(c).asInt();
		}
		return rgb;
	}

	/** @throws IllegalArgumentException unless {@code rgb} has dims X, Y, C with C = 3 */
	static void checkRgb(final RandomAccessibleInterval<?> rgb) {
		if (rgb.numDimensions() != 3 || rgb.dimension(2) != 3) {
			throw new IllegalArgumentException("an answer image must have dims X, Y, C with C = 3, got " + Arrays.toString(rgb
				.dimensionsAsLongArray()));
		}
	}
}
