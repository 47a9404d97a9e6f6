package org.lumina.mgpt.cli.score;

/** Angles between two normal maps. Stateless. */
public final class NormalAngles {

	private NormalAngles() {}

	/**
	 * @param predicted planar vectors {@code [x | y | z]}, {@code 3 * pixels} values (need not be unit)
	 * @param truth planar vectors, same layout
	 * @param mask the pixels to average over ({@code pixels} entries)
	 * @return the mean angle in degrees over the masked pixels, in [0, 180]; a zero vector counts
	 *         as 90 degrees off; 0 when the mask is empty
	 * @throws IllegalArgumentException when the lengths do not match
	 */
	public static double meanDegrees(final float[] predicted, final float[] truth, final boolean[] mask) {
		final int n = mask.length;
		if (predicted.length != 3 * n || truth.length != 3 * n) {
			throw new IllegalArgumentException("normal maps need 3 values per masked pixel (" + 3 * n + "), got " +
				predicted.length + " and " + truth.length);
		}
		double sum = 0;
		int count = 0;
		for (int i = 0; i < n; i++) {
			if (!mask[i]) continue;
			double dot = 0, pp = 0, tt = 0;
			for (int c = 0; c < 3; c++) {
				final double p = predicted[c * n + i];
				final double t = truth[c * n + i];
				dot += p * t;
				pp += p * p;
				tt += t * t;
			}
			sum += pp == 0 || tt == 0 ? 90 : Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(pp * tt)))));
			count++;
		}
		return count == 0 ? 0 : sum / count;
	}
}
