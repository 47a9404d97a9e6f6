package org.lumina.mgpt.runtime.task.read;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Reads a keypoint map ({@code "encoding": "keypoints"}), the way pose maps are drawn: each
 * keypoint a disc of its own colour, limbs lines in other shades. A keypoint is the centroid of
 * the largest 4-connected region of pixels within {@code colour_radius} (Euclidean RGB distance)
 * of its colour, when that region has at least {@code min_pixels} pixels; else it is not found.
 * The largest region only, since the VQ decoder leaves specks of a colour where hues blend; ties
 * go to the region met first in row order. This is {@code keypoints_from_map} of
 * {@code model-runtime/training/synthetic.py}. Immutable and thread-safe.
 */
public final class KeypointReader implements OutputReader {

	/** The most keypoints a convention may name. */
	public static final int MAX_KEYPOINTS = 256;

	private final List<PaletteClass> keypoints;
	private final List<Limb> limbs;
	private final double radiusSquared;
	private final int minPixels;

	/**
	 * @param convention the manifest's {@code outputs.pose} object with {@code keypoints} (a list
	 *          of {@code {"name": ..., "rgb": [r, g, b]}}, names unique), {@code colour_radius} (a
	 *          number &gt; 0), optionally {@code min_pixels} (a whole number &gt;= 1, default 1)
	 *          and {@code limbs} (a list of {@code [from, to]} keypoint name pairs, default none)
	 * @throws IllegalArgumentException naming the key when one of these is missing or malformed,
	 *           or a limb names a keypoint the list lacks
	 */
	public KeypointReader(final JsonNode convention) {
		Conventions.requireEncoding("pose", convention, "keypoints");
		keypoints = Conventions.palette("outputs.pose.keypoints", convention.get("keypoints"), MAX_KEYPOINTS);
		final Set<String> names = new HashSet<>();
		for (final PaletteClass k : keypoints) {
			if (!names.add(k.name())) {
				throw new IllegalArgumentException("outputs.pose.keypoints names '" + k.name() + "' twice; names must be " +
					"unique");
			}
		}
		final JsonNode radius = convention.path("colour_radius");
		if (!radius.isNumber() || !(radius.asDouble() > 0)) {
			throw new IllegalArgumentException("outputs.pose.colour_radius must be a number > 0, got " + radius);
		}
		radiusSquared = radius.asDouble() * radius.asDouble();
		minPixels = Conventions.count("pose", convention, "min_pixels", 1, 1);
		limbs = limbs(convention.path("limbs"), names);
	}

	/** @return the keypoints the convention names, with their colours, in its order */
	public List<PaletteClass> keypoints() {
		return keypoints;
	}

	/** @return the limbs the convention names, in its order */
	public List<Limb> limbs() {
		return limbs;
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return the keypoints found in answer-image coordinates ({@link Keypoint}), and the limbs
	 */
	@Override
	public TaskOutput.Keypoints read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		final int[] pixels = Conventions.packed(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final boolean[] near = new boolean[pixels.length];
		final int[] region = new int[pixels.length];
		final List<Keypoint> found = new ArrayList<>();
		for (final PaletteClass k : keypoints) {
			for (int i = 0; i < pixels.length; i++) near[i] = Conventions.distanceSquared(pixels[i], k) <= radiusSquared;
			final double[] centroid = largestRegionCentroid(near, w, region);
			if (centroid != null) found.add(new Keypoint(k.name(), centroid[0] + 0.5, centroid[1] + 0.5));
		}
		return new TaskOutput.Keypoints(keypoints, found, limbs);
	}

	// -- Helper methods --

	/**
	 * @param near the pixels that may belong to the keypoint; cleared as they are visited
	 * @param region scratch space of {@code near}'s length
	 * @return {x, y} mean pixel index of the largest 4-connected region of {@code near}, or
	 *         {@code null} when it has fewer than {@link #minPixels} pixels
	 */
	private double[] largestRegionCentroid(final boolean[] near, final int w, final int[] region) {
		final int h = near.length / w;
		int bestSize = 0;
		double bestX = 0, bestY = 0;
		for (int start = 0; start < near.length; start++) {
			if (!near[start]) continue;
			// flood fill (region[] doubles as the queue)
			near[start] = false;
			region[0] = start;
			int size = 1;
			long sumX = 0, sumY = 0;
			for (int head = 0; head < size; head++) {
				final int p = region[head];
				final int x = p % w;
				final int y = p / w;
				sumX += x;
				sumY += y;
				if (x > 0 && near[p - 1]) size = take(near, region, size, p - 1);
				if (x < w - 1 && near[p + 1]) size = take(near, region, size, p + 1);
				if (y > 0 && near[p - w]) size = take(near, region, size, p - w);
				if (y < h - 1 && near[p + w]) size = take(near, region, size, p + w);
			}
			if (size > bestSize) {
				bestSize = size;
				bestX = (double) sumX / size;
				bestY = (double) sumY / size;
			}
		}
		return bestSize >= minPixels ? new double[] { bestX, bestY } : null;
	}

	private static int take(final boolean[] near, final int[] region, final int size, final int p) {
		near[p] = false;
		region[size] = p;
		return size + 1;
	}

	private static List<Limb> limbs(final JsonNode list, final Set<String> names) {
		if (list.isMissingNode()) return List.of();
		if (!list.isArray()) throw new IllegalArgumentException("outputs.pose.limbs must be a list of [from, to] pairs, " +
			"got " + list);
		final List<Limb> out = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			final JsonNode pair = list.get(i);
			if (!pair.isArray() || pair.size() != 2 || !names.contains(pair.get(0).asText()) || !names.contains(pair.get(1)
				.asText()))
			{
				throw new IllegalArgumentException("outputs.pose.limbs[" + i + "] must be a [from, to] pair of keypoint " +
					"names of outputs.pose.keypoints, got " + pair);
			}
			out.add(new Limb(pair.get(0).asText(), pair.get(1).asText()));
		}
		return List.copyOf(out);
	}
}
