package org.lumina.mgpt.runtime.logits;

import java.util.Arrays;

/** The masking moves shared by the hard constraints; all in place, none allocates. */
final class Masks {

	private Masks() {}

	/** All logits {@code -inf} except {@code token}, which becomes 0 (as the reference forces tokens). */
	static void force(final float[] logits, final int token) {
		Arrays.fill(logits, Float.NEGATIVE_INFINITY);
		logits[token] = 0;
	}

	/**
	 * All logits {@code -inf} except those of {@code allowed}, which keep their values.
	 *
	 * @param scratch at least {@code allowed.length} long
	 */
	static void keepOnly(final float[] logits, final int[] allowed, final float[] scratch) {
		for (int i = 0; i < allowed.length; i++) scratch[i] = logits[allowed[i]];
		Arrays.fill(logits, Float.NEGATIVE_INFINITY);
		for (int i = 0; i < allowed.length; i++) logits[allowed[i]] = scratch[i];
	}

	/** All logits outside {@code first..last} (inclusive) become {@code -inf}. */
	static void keepRange(final float[] logits, final int first, final int last) {
		Arrays.fill(logits, 0, Math.min(first, logits.length), Float.NEGATIVE_INFINITY);
		if (last + 1 < logits.length) Arrays.fill(logits, last + 1, logits.length, Float.NEGATIVE_INFINITY);
	}
}
