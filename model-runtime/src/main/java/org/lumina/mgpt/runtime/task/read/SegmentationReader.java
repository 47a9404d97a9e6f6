package org.lumina.mgpt.runtime.task.read;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

/**
 * Reads a palette segmentation answer ({@code "encoding": "palette"}): every pixel gets the index
 * of the palette class whose colour is nearest (squared RGB distance; ties go to the lower
 * index). Immutable and thread-safe.
 */
public final class SegmentationReader implements OutputReader {

	/** The most classes an 8-bit label image holds. */
	public static final int MAX_CLASSES = 256;

	private final List<PaletteClass> classes;

	/**
	 * @param convention the manifest's {@code outputs.segmentation} object with {@code classes}: a
	 *          list of {@code {"name": ..., "rgb": [r, g, b]}}
	 * @throws IllegalArgumentException naming the key when the palette is missing, empty, longer
	 *           than 256 classes or malformed
	 */
	public SegmentationReader(final JsonNode convention) {
		Conventions.requireEncoding("segmentation", convention, "palette");
		final JsonNode list = convention.path("classes");
		if (!list.isArray() || list.size() == 0 || list.size() > MAX_CLASSES) {
			throw new IllegalArgumentException("outputs.segmentation.classes must be a list of 1.." + MAX_CLASSES +
				" {name, rgb} objects, got " + list);
		}
		final List<PaletteClass> parsed = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			final JsonNode c = list.get(i);
			final String where = "outputs.segmentation.classes[" + i + "]";
			if (!c.path("name").isTextual()) throw new IllegalArgumentException(where + ".name must be a string, got " + c);
			final int[] rgb = Conventions.rgb(where + ".rgb", c.get("rgb"));
			parsed.add(new PaletteClass(c.get("name").asText(), rgb[0], rgb[1], rgb[2]));
		}
		classes = List.copyOf(parsed);
	}

	/** @return the palette, in label order (label {@code i} is {@code classes().get(i)}) */
	public List<PaletteClass> classes() {
		return classes;
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return a new label raster, dims X, Y, values = class indices
	 */
	public Img<UnsignedByteType> labels(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		Conventions.checkRgb(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final byte[] out = new byte[w * h];
		final RandomAccess<UnsignedByteType> in = Views.zeroMin(rgb).randomAccess();
		final int[] v = new int[3];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				in.setPosition(y, 1);
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					v[c] = in.get().get();
				}
				out[y * w + x] = (byte) nearest(v[0], v[1], v[2]);
			}
		}
		return ArrayImgs.unsignedBytes(out, w, h);
	}

	@Override
	public TaskOutput read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return new TaskOutput.Labels(labels(rgb), classes);
	}

	private int nearest(final int r, final int g, final int b) {
		int best = 0;
		int bestDistance = Integer.MAX_VALUE;
		for (int i = 0; i < classes.size(); i++) {
			final PaletteClass c = classes.get(i);
			final int dr = r - c.red();
			final int dg = g - c.green();
			final int db = b - c.blue();
			final int distance = dr * dr + dg * dg + db * db;
			if (distance < bestDistance) {
				best = i;
				bestDistance = distance;
			}
		}
		return best;
	}
}
