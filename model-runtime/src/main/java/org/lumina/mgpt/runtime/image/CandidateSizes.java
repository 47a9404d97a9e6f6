package org.lumina.mgpt.runtime.image;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.lumina.mgpt.runtime.ImageSize;

/**
 * The image sizes a checkpoint works at (spec §2.2): every {@code (32 wp) x (32 hp)} with
 * {@code wp * hp <= (target/32)^2} and an aspect ratio of at most 4:1, in the order of the
 * reference's {@code generate_crop_size_list} (widest first).
 * <p>
 * Immutable and thread-safe.
 */
public final class CandidateSizes {

	private static final int PATCH = 32;
	private static final double MAX_RATIO = 4.0;

	private final int targetSize;
	private final List<ImageSize> sizes;

	/** Tests only: a list in a given order (the real lists have no two sizes of equal aspect). */
	CandidateSizes(final int targetSize, final List<ImageSize> sizes) {
		this.targetSize = targetSize;
		this.sizes = List.copyOf(sizes);
	}

	/**
	 * @param targetSize the checkpoint's training resolution, a positive multiple of 32
	 * @throws IllegalArgumentException when {@code targetSize} is not a positive multiple of 32
	 */
	public static CandidateSizes forTargetSize(final int targetSize) {
		if (targetSize < PATCH || targetSize % PATCH != 0) {
			throw new IllegalArgumentException("targetSize must be a positive multiple of 32, got " + targetSize);
		}
		final int numPatches = (targetSize / PATCH) * (targetSize / PATCH);
		final List<ImageSize> sizes = new ArrayList<>();
		int wp = numPatches;
		int hp = 1;
		while (wp > 0) {
			if ((double) Math.max(wp, hp) / Math.min(wp, hp) <= MAX_RATIO) sizes.add(new ImageSize(wp * PATCH, hp * PATCH));
			if ((hp + 1) * wp <= numPatches) hp++;
			else wp--;
		}
		return new CandidateSizes(targetSize, sizes);
	}

	/** @return the target size the list was made for */
	public int targetSize() {
		return targetSize;
	}

	/** @return the sizes in the reference's order; unmodifiable */
	public List<ImageSize> sizes() {
		return sizes;
	}

	/** @return whether {@code size} is a candidate */
	public boolean contains(final ImageSize size) {
		return sizes.contains(size);
	}

	/**
	 * Picks the candidate whose aspect ratio is closest to {@code width x height} (spec §2.3 steps
	 * 1-2): the largest {@code min(cw/w, ch/h) / max(cw/w, ch/h)}, ties going to the larger
	 * {@code (cw, ch)} compared as a tuple (width first), as Python's sort does.
	 *
	 * @throws IllegalArgumentException when a side is not positive
	 */
	public ImageSize closest(final int width, final int height) {
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
		}
		ImageSize best = null;
		double bestScore = -1;
		for (final ImageSize c : sizes) {
			final double sx = (double) c.width() / width;
			final double sy = (double) c.height() / height;
			final double score = Math.min(sx, sy) / Math.max(sx, sy);
			if (score > bestScore || score == bestScore && isLarger(c, best)) {
				best = c;
				bestScore = score;
			}
		}
		return best;
	}

	/** @return the distinct candidate heights, ascending: those a height size token may take */
	public List<Integer> heightsThatFit() {
		final TreeSet<Integer> heights = new TreeSet<>();
		sizes.forEach(s -> heights.add(s.height()));
		return List.copyOf(heights);
	}

	/** @return the candidate widths for {@code height}, ascending; empty when no candidate has it */
	public List<Integer> widthsFor(final int height) {
		final TreeSet<Integer> widths = new TreeSet<>();
		sizes.stream().filter(s -> s.height() == height).forEach(s -> widths.add(s.width()));
		return List.copyOf(widths);
	}

	private static boolean isLarger(final ImageSize a, final ImageSize b) {
		return a.width() != b.width() ? a.width() > b.width() : a.height() > b.height();
	}

	@Override
	public String toString() {
		return "CandidateSizes[target " + targetSize + ", " + sizes.size() + " sizes]";
	}
}
