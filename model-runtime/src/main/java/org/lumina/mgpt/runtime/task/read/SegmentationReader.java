package org.lumina.mgpt.runtime.task.read;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Reads a palette segmentation answer ({@code "encoding": "palette"}): every pixel gets the index
 * of the palette class whose colour is nearest (squared RGB distance; ties go to the lower
 * index). With {@code min_region_pixels} N, each connected region (4-neighbours) of one class
 * smaller than N pixels then takes the class most of its border touches: the VQ decoder blends
 * colours where two classes meet, and a blend can lie nearest to a third class's colour, leaving
 * slivers of a class that is not there. Immutable and thread-safe.
 */
public final class SegmentationReader implements OutputReader {

	/** The most classes an 8-bit label image holds. */
	public static final int MAX_CLASSES = 256;

	private final List<PaletteClass> classes;
	private final int minRegionPixels;

	/**
	 * @param convention the manifest's {@code outputs.segmentation} object with {@code classes}: a
	 *          list of {@code {"name": ..., "rgb": [r, g, b]}}, and optionally
	 *          {@code min_region_pixels} (default 0: every pixel keeps its nearest class)
	 * @throws IllegalArgumentException naming the key when the palette is missing, empty, longer
	 *           than 256 classes or malformed, or {@code min_region_pixels} is not a count
	 */
	public SegmentationReader(final JsonNode convention) {
		Conventions.requireEncoding("segmentation", convention, "palette");
		classes = Conventions.palette("outputs.segmentation.classes", convention.get("classes"), MAX_CLASSES);
		minRegionPixels = Conventions.count("segmentation", convention, "min_region_pixels", 0, 0);
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
		final int[] pixels = Conventions.packed(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final byte[] out = new byte[pixels.length];
		for (int i = 0; i < pixels.length; i++) out[i] = (byte) nearest(pixels[i]);
		if (minRegionPixels > 1) mergeSmallRegions(out, w, h, minRegionPixels);
		return ArrayImgs.unsignedBytes(out, w, h);
	}

	@Override
	public TaskOutput read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return new TaskOutput.Labels(labels(rgb), classes);
	}

	/**
	 * Gives each 4-connected region of one label smaller than {@code minPixels} the label most of its
	 * outside neighbours carry (ties: the lower label). Regions are found on the labels as read and
	 * visited in scan order; a region that touches no other label (the whole image) stays.
	 */
	static void mergeSmallRegions(final byte[] labels, final int w, final int h, final int minPixels) {
		final byte[] read = labels.clone();
		final boolean[] seen = new boolean[labels.length];
		final int[] region = new int[labels.length];
		final int[] votes = new int[MAX_CLASSES];
		for (int start = 0; start < labels.length; start++) {
			if (seen[start]) continue;
			// flood fill the region of start's label (region[] doubles as the queue)
			final byte label = read[start];
			int size = 0;
			region[size++] = start;
			seen[start] = true;
			for (int head = 0; head < size; head++) {
				final int p = region[head];
				final int x = p % w;
				final int y = p / w;
				if (x > 0) size = visit(read, seen, region, size, p - 1, label);
				if (x < w - 1) size = visit(read, seen, region, size, p + 1, label);
				if (y > 0) size = visit(read, seen, region, size, p - w, label);
				if (y < h - 1) size = visit(read, seen, region, size, p + w, label);
			}
			if (size >= minPixels) continue;
			Arrays.fill(votes, 0);
			for (int i = 0; i < size; i++) {
				final int p = region[i];
				final int x = p % w;
				final int y = p / w;
				if (x > 0) vote(labels, votes, p - 1, label);
				if (x < w - 1) vote(labels, votes, p + 1, label);
				if (y > 0) vote(labels, votes, p - w, label);
				if (y < h - 1) vote(labels, votes, p + w, label);
			}
			int winner = -1;
			for (int c = 0; c < MAX_CLASSES; c++) {
				if (votes[c] > 0 && (winner < 0 || votes[c] > votes[winner])) winner = c;
			}
			if (winner < 0) continue;
			for (int i = 0; i < size; i++) labels[region[i]] = (byte) winner;
		}
	}

	private static int visit(final byte[] read, final boolean[] seen, final int[] region, final int size, final int p,
		final byte label)
	{
		if (seen[p] || read[p] != label) return size;
		seen[p] = true;
		region[size] = p;
		return size + 1;
	}

	private static void vote(final byte[] labels, final int[] votes, final int p, final byte label) {
		if (labels[p] != label) votes[labels[p] & 0xff]++;
	}

	private int nearest(final int rgb) {
		int best = 0;
		int bestDistance = Integer.MAX_VALUE;
		for (int i = 0; i < classes.size(); i++) {
			final int distance = Conventions.distanceSquared(rgb, classes.get(i));
			if (distance < bestDistance) {
				best = i;
				bestDistance = distance;
			}
		}
		return best;
	}
}
