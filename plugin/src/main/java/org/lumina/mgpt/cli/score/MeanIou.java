package org.lumina.mgpt.cli.score;

/**
 * Mean intersection over union of two label maps: the IoU of every class present in either map,
 * averaged (a class absent from both does not count). Stateless.
 */
public final class MeanIou {

	private MeanIou() {}

	/**
	 * @param predicted class indices, one per pixel
	 * @param truth class indices, same length
	 * @param classes how many classes there are (indices are {@code 0 .. classes - 1})
	 * @return the mean IoU in [0, 1]; 1 when both maps are empty
	 * @throws IllegalArgumentException when the lengths differ or an index is out of range
	 */
	public static double of(final int[] predicted, final int[] truth, final int classes) {
		if (predicted.length != truth.length) {
			throw new IllegalArgumentException("label maps must have the same number of pixels, got " + predicted.length +
				" and " + truth.length);
		}
		final long[] intersection = new long[classes];
		final long[] union = new long[classes];
		for (int i = 0; i < truth.length; i++) {
			final int p = predicted[i];
			final int t = truth[i];
			if (p < 0 || p >= classes || t < 0 || t >= classes) {
				throw new IllegalArgumentException("class indices must be in 0.." + (classes - 1) + ", got " + p + " and " + t);
			}
			union[t]++;
			if (p == t) intersection[t]++;
			else union[p]++;
		}
		double sum = 0;
		int present = 0;
		for (int c = 0; c < classes; c++) {
			if (union[c] == 0) continue;
			sum += (double) intersection[c] / union[c];
			present++;
		}
		return present == 0 ? 1 : sum / present;
	}
}
