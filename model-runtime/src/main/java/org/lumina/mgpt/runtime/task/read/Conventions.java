package org.lumina.mgpt.runtime.task.read;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

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

	/** @return the whole number {@code key}, at least {@code min}; {@code fallback} when the key is missing */
	static int count(final String task, final JsonNode convention, final String key, final int min, final int fallback) {
		final JsonNode value = convention.path(key);
		if (value.isMissingNode()) return fallback;
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min) {
			throw new IllegalArgumentException("outputs." + task + "." + key + " must be a whole number >= " + min +
				", got " + value);
		}
		return value.asInt();
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

	/**
	 * @param where the key of the list, e.g. {@code outputs.segmentation.classes}
	 * @param list the manifest's list of {@code {"name": ..., "rgb": [r, g, b]}} objects
	 * @param max the most entries allowed
	 * @return the named colours, in order
	 */
	static List<PaletteClass> palette(final String where, final JsonNode list, final int max) {
		if (list == null || !list.isArray() || list.size() == 0 || list.size() > max) {
			throw new IllegalArgumentException(where + " must be a list of 1.." + max + " {name, rgb} objects, got " + list);
		}
		final List<PaletteClass> parsed = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			final JsonNode c = list.get(i);
			final String at = where + "[" + i + "]";
			if (!c.path("name").isTextual()) throw new IllegalArgumentException(at + ".name must be a string, got " + c);
			final int[] rgb = rgb(at + ".rgb", c.get("rgb"));
			parsed.add(new PaletteClass(c.get("name").asText(), rgb[0], rgb[1], rgb[2]));
		}
		return List.copyOf(parsed);
	}

	/**
	 * @param rgb an answer image, dims X, Y, C (C = 3)
	 * @return a new array of each pixel's {@code 0xRRGGBB}, row by row (index {@code y * width + x})
	 * @throws IllegalArgumentException unless {@code rgb} has dims X, Y, C with C = 3
	 */
	static int[] packed(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		checkRgb(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final int[] out = new int[w * h];
		final RandomAccess<UnsignedByteType> in = Views.zeroMin(rgb).randomAccess();
		for (int y = 0; y < h; y++) {
			in.setPosition(y, 1);
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				int packed = 0;
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					packed = packed << 8 | in.get().get();
				}
				out[y * w + x] = packed;
			}
		}
		return out;
	}

	/** @return the squared Euclidean distance in RGB between a {@code 0xRRGGBB} pixel and a palette colour */
	static int distanceSquared(final int rgb, final PaletteClass colour) {
		final int dr = (rgb >> 16 & 0xff) - colour.red();
		final int dg = (rgb >> 8 & 0xff) - colour.green();
		final int db = (rgb & 0xff) - colour.blue();
		return dr * dr + dg * dg + db * db;
	}

	/** @throws IllegalArgumentException unless {@code rgb} has dims X, Y, C with C = 3 */
	static void checkRgb(final RandomAccessibleInterval<?> rgb) {
		if (rgb.numDimensions() != 3 || rgb.dimension(2) != 3) {
			throw new IllegalArgumentException("an answer image must have dims X, Y, C with C = 3, got " + Arrays.toString(rgb
				.dimensionsAsLongArray()));
		}
	}
}
