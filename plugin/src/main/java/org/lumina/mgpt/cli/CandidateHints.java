package org.lumina.mgpt.cli;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.vq.UniRep;

/** Checks a requested image size against a model's candidate sizes and names the nearest ones. */
final class CandidateHints {

	/** How many nearby candidates an error message lists. */
	static final int NEARBY = 5;

	private CandidateHints() {}

	/**
	 * @param text {@code WxH}
	 * @return the size, when it is one of the candidates
	 * @throws IllegalArgumentException for a malformed size, or one the model cannot generate
	 *           (listing the {@value #NEARBY} closest candidates)
	 */
	static ImageSize checked(final String text, final CandidateSizes candidates) {
		final ImageSize size;
		try {
			size = ImageSize.parse(text);
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("--size " + e.getMessage());
		}
		if (candidates.contains(size)) return size;
		throw new IllegalArgumentException("--size " + size + " is not a size this model generates (target size " +
			candidates.targetSize() + ", " + candidates.sizes().size() + " candidate sizes); the closest are " +
			nearest(size, candidates).stream().map(ImageSize::toString).collect(Collectors.joining(", ")) +
			": pass one of those");
	}

	/**
	 * @return the {@value #NEARBY} candidates closest to {@code size}: nearest aspect ratio first,
	 *         then nearest area
	 */
	static List<ImageSize> nearest(final ImageSize size, final CandidateSizes candidates) {
		return candidates.sizes().stream().sorted(Comparator.comparingDouble((ImageSize c) -> aspectDistance(c, size))
			.thenComparingDouble(c -> areaDistance(c, size))).limit(NEARBY).toList();
	}

	/** @return the candidate whose image takes the most tokens */
	static ImageSize mostTokens(final CandidateSizes candidates) {
		return candidates.sizes().stream().max(Comparator.comparingInt(UniRep::tokenCount)).orElseThrow();
	}

	private static double aspectDistance(final ImageSize a, final ImageSize b) {
		return Math.abs(Math.log((double) a.width() / a.height() * b.height() / b.width()));
	}

	private static double areaDistance(final ImageSize a, final ImageSize b) {
		return Math.abs(Math.log((double) a.width() * a.height() / b.width() / b.height()));
	}
}
