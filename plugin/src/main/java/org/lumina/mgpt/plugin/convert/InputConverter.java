package org.lumina.mgpt.plugin.convert;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ImageProcessor;

import net.imglib2.img.array.ArrayImgs;

/**
 * Turns an {@code ImagePlus} into the 8-bit RGB planes the model reads (DESIGN.md §2): picks the
 * plane(s) and channels, restricts to a rectangular selection, and normalises 16/32-bit data to
 * 8 bits by percentiles (computed per source channel over every converted plane together, inside
 * the source rectangle, NaNs ignored, from at most {@link #MAX_SAMPLES} evenly spaced values; 8-bit
 * and RGB data are used as they are). The image is
 * never modified. Stateless and thread-safe (as far as the {@code ImagePlus} is not changed
 * meanwhile).
 */
public final class InputConverter {

	/** The most values percentiles are computed from; larger inputs are sampled evenly (every k-th value). */
	public static final int MAX_SAMPLES = 1 << 22;

	private InputConverter() {}

	/**
	 * @return one plane (or one per Z or T position, see {@link ConvertOptions#allPlanes()}), in order
	 * @throws IllegalArgumentException when the image (or its selection) is smaller than 2x2, the
	 *           selection is not a rectangle or lies outside the image, or a channel index is out
	 *           of range
	 */
	public static List<ConvertedPlane> convert(final ImagePlus image, final ConvertOptions options) {
		if (image == null || image.getStack() == null || image.getWidth() == 0 || image.getHeight() == 0) {
			throw new IllegalArgumentException("the input image is empty");
		}
		final Rectangle source = sourceRectangle(image, options);
		if (source.width < 2 || source.height < 2) {
			throw new IllegalArgumentException("the input " + (source.width == image.getWidth() && source.height == image
				.getHeight() ? "image" : "selection") + " must be at least 2x2 pixels, got " + source.width + "x" +
				source.height + " ('" + image.getTitle() + "')");
		}
		final boolean rgb = image.getType() == ImagePlus.COLOR_RGB;
		final int[] channels = channelMapping(image, options.rgbChannels(), rgb);
		final List<int[]> positions = planes(image, options.allPlanes());
		final ImageStack stack = image.getStack();
		final boolean normalise = !rgb && image.getBitDepth() != 8;
		final double[][] ranges = new double[rgb ? 0 : image.getNChannels() + 1][];
		if (normalise) {
			for (final int c : channels) {
				if (c > 0 && ranges[c] == null) ranges[c] = percentiles(stack, image, c, positions, source, options);
			}
		}
		final List<ConvertedPlane> planes = new ArrayList<>();
		for (final int[] p : positions) {
			final byte[] data = new byte[3 * source.width * source.height];
			final int n = source.width * source.height;
			for (int k = 0; k < 3; k++) {
				if (channels[k] == 0) continue;
				if (rgb) copyRgb(stack.getProcessor(image.getStackIndex(1, p[1], p[2])), channels[k] - 1, source, data, k * n);
				else {
					copyGray(stack.getProcessor(image.getStackIndex(channels[k], p[1], p[2])), source, ranges[channels[k]], data,
						k * n);
				}
			}
			final int channel = rgb || channels[0] != channels[1] || channels[1] != channels[2] ? 0 : channels[0];
			planes.add(new ConvertedPlane(ArrayImgs.unsignedBytes(data, source.width, source.height, 3), channel, p[1], p[2],
				source, describe(image, channels, p, source, options, normalise, ranges)));
		}
		return planes;
	}

	// -- Helper methods --

	private static Rectangle sourceRectangle(final ImagePlus image, final ConvertOptions options) {
		final Rectangle whole = new Rectangle(0, 0, image.getWidth(), image.getHeight());
		final Roi roi = image.getRoi();
		if (!options.selectionOnly() || roi == null) return whole;
		if (roi.getType() != Roi.RECTANGLE || roi.getCornerDiameter() > 0) {
			throw new IllegalArgumentException("the selection on '" + image.getTitle() + "' must be a rectangle, got a " +
				roi.getTypeAsString().toLowerCase(Locale.ROOT) + "; draw a rectangle, remove the selection or turn " +
				"selection-only processing off");
		}
		final Rectangle bounds = roi.getBounds();
		final Rectangle clipped = bounds.intersection(whole);
		if (clipped.isEmpty()) {
			throw new IllegalArgumentException("the selection " + bounds.x + "," + bounds.y + " " + bounds.width + "x" +
				bounds.height + " lies outside the image '" + image.getTitle() + "' (" + whole.width + "x" + whole.height + ")");
		}
		return clipped;
	}

	/** @return the 1-based source channel (0 = black) of R, G, B */
	private static int[] channelMapping(final ImagePlus image, final int[] requested, final boolean rgb) {
		final int available = rgb ? 3 : image.getNChannels();
		if (requested == null) {
			if (rgb) return new int[] { 1, 2, 3 };
			if (available == 1) return new int[] { 1, 1, 1 };
			return new int[] { 1, 2, available >= 3 ? 3 : 0 };
		}
		for (final int c : requested) {
			if (c > available) {
				throw new IllegalArgumentException("channel " + c + " does not exist: '" + image.getTitle() + "' has " +
					available + (rgb ? " colour components (1 = R, 2 = G, 3 = B)" : " channel" + (available == 1 ? "" : "s")) +
					"; rgbChannels must be in 0.." + available + " (0 = black), got " + Arrays.toString(requested));
			}
		}
		return requested.clone();
	}

	/** @return {c, z, t} of each plane to convert (c unused: channels come from the mapping) */
	private static List<int[]> planes(final ImagePlus image, final boolean all) {
		final List<int[]> planes = new ArrayList<>();
		// NB: getZ()/getT() lag behind setSlice() on images without a window; the index is current
		final int[] current = image.convertIndexToPosition(image.getCurrentSlice());
		final int c = current[0];
		if (!all) planes.add(current);
		else if (image.getNSlices() > 1 || image.getNFrames() == 1) {
			for (int z = 1; z <= image.getNSlices(); z++) planes.add(new int[] { c, z, current[2] });
		}
		else {
			for (int t = 1; t <= image.getNFrames(); t++) planes.add(new int[] { c, current[1], t });
		}
		return planes;
	}

	private static double[] percentiles(final ImageStack stack, final ImagePlus image, final int channel,
		final List<int[]> positions, final Rectangle r, final ConvertOptions options)
	{
		final long count = (long) positions.size() * r.width * r.height;
		// NB: every MAX_SAMPLES-th value at most, so that large stacks need no giant arrays
		final int step = (int) Math.max(1, (count + MAX_SAMPLES - 1) / MAX_SAMPLES);
		final float[] values = new float[(int) ((count + step - 1) / step)];
		int n = 0;
		long index = 0;
		for (final int[] p : positions) {
			final ImageProcessor ip = stack.getProcessor(image.getStackIndex(channel, p[1], p[2]));
			for (int y = r.y; y < r.y + r.height; y++) {
				for (int x = r.x; x < r.x + r.width; x++) {
					if (index++ % step != 0) continue;
					final float v = ip.getf(x, y);
					if (!Float.isNaN(v)) values[n++] = v;
				}
			}
		}
		if (n == 0) return new double[] { 0, 1 };
		Arrays.sort(values, 0, n);
		return new double[] { percentile(values, n, options.lowPercentile()), percentile(values, n, options
			.highPercentile()) };
	}

	/** Linear interpolation between the closest ranks, as numpy's default. */
	private static double percentile(final float[] sorted, final int n, final double p) {
		final double rank = p / 100 * (n - 1);
		final int low = (int) Math.floor(rank);
		final int high = Math.min(n - 1, low + 1);
		return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
	}

	private static void copyGray(final ImageProcessor ip, final Rectangle r, final double[] range, final byte[] out,
		final int offset)
	{
		final double low = range == null ? 0 : range[0];
		final double scale = range == null ? 1 : 255 / Math.max(range[1] - range[0], 1e-12);
		int i = offset;
		for (int y = r.y; y < r.y + r.height; y++) {
			for (int x = r.x; x < r.x + r.width; x++) {
				final double v = (ip.getf(x, y) - low) * scale;
				out[i++] = (byte) (Double.isNaN(v) ? 0 : (int) Math.round(Math.max(0, Math.min(255, v))));
			}
		}
	}

	private static void copyRgb(final ImageProcessor ip, final int component, final Rectangle r, final byte[] out,
		final int offset)
	{
		final int shift = 16 - 8 * component;
		int i = offset;
		for (int y = r.y; y < r.y + r.height; y++) {
			for (int x = r.x; x < r.x + r.width; x++) {
				out[i++] = (byte) (ip.getPixel(x, y) >> shift & 0xff);
			}
		}
	}

	private static String describe(final ImagePlus image, final int[] channels, final int[] p, final Rectangle r,
		final ConvertOptions options, final boolean normalise, final double[][] ranges)
	{
		final StringBuilder s = new StringBuilder();
		s.append("type=").append(image.getType() == ImagePlus.COLOR_RGB ? "RGB" : image.getBitDepth() + "-bit");
		s.append("; channels=").append(channels[0]).append(',').append(channels[1]).append(',').append(channels[2]);
		s.append("; plane=z").append(p[1]).append(" t").append(p[2]);
		s.append("; selection=");
		if (r.x == 0 && r.y == 0 && r.width == image.getWidth() && r.height == image.getHeight()) s.append("none");
		else s.append(r.x).append(',').append(r.y).append(' ').append(r.width).append('x').append(r.height);
		if (normalise) {
			s.append(String.format(Locale.ROOT, "; percentiles=%s,%s; range=", options.lowPercentile(), options
				.highPercentile()));
			final List<String> parts = new ArrayList<>();
			for (int c = 1; c < ranges.length; c++) {
				if (ranges[c] != null) parts.add(String.format(Locale.ROOT, "c%d:%.6g..%.6g", c, ranges[c][0], ranges[c][1]));
			}
			s.append(String.join(",", parts));
		}
		return s.toString();
	}
}
