package org.lumina.mgpt.cli.score;

import java.util.Arrays;

/** Spearman's rank correlation, ties given their average rank. Stateless. */
public final class RankCorrelation {

	private RankCorrelation() {}

	/**
	 * @param a values, one per pixel
	 * @param b values, same length
	 * @return the Pearson correlation of the ranks, in [-1, 1] (1: same order, -1: reversed); 0
	 *         when either side is constant (it orders nothing)
	 * @throws IllegalArgumentException when the lengths differ
	 */
	public static double spearman(final double[] a, final double[] b) {
		if (a.length != b.length) {
			throw new IllegalArgumentException("both sides need the same number of values, got " + a.length + " and " + b.length);
		}
		final double[] ra = ranks(a);
		final double[] rb = ranks(b);
		final double mean = (a.length + 1) / 2.0; // NB: average ranks keep the mean of 1..n
		double ab = 0, aa = 0, bb = 0;
		for (int i = 0; i < a.length; i++) {
			final double da = ra[i] - mean;
			final double db = rb[i] - mean;
			ab += da * db;
			aa += da * da;
			bb += db * db;
		}
		if (aa == 0 || bb == 0) return 0;
		return Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
	}

	/** @return 1-based ranks, tied values sharing the average of their ranks */
	static double[] ranks(final double[] values) {
		final int n = values.length;
		final Integer[] index = new Integer[n];
		for (int i = 0; i < n; i++) index[i] = i;
		Arrays.sort(index, (x, y) -> Double.compare(values[x], values[y]));
		final double[] ranks = new double[n];
		int start = 0;
		while (start < n) {
			int end = start;
			while (end + 1 < n && values[index[end + 1]] == values[index[start]]) end++;
			final double rank = (start + end) / 2.0 + 1;
			for (int k = start; k <= end; k++) ranks[index[k]] = rank;
			start = end + 1;
		}
		return ranks;
	}
}
