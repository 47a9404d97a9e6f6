package org.lumina.mgpt.runtime.sampling;

/** Picks the next token from processed logits ({@code -inf} = excluded). */
@FunctionalInterface
public interface Sampler {

	/** Argmax; the lowest id wins ties. Stateless and thread-safe. */
	Sampler GREEDY = Sampler::argmax;

	/**
	 * @param logits the processed logits; read only
	 * @return a vocabulary id whose logit is not {@code -inf}
	 * @throws IllegalStateException when every logit is {@code -inf} or NaN
	 */
	int sample(float[] logits);

	/** @return the index of the largest logit, the lowest on ties */
	static int argmax(final float[] logits) {
		int best = -1;
		float max = Float.NEGATIVE_INFINITY;
		for (int i = 0; i < logits.length; i++) {
			if (logits[i] > max) {
				max = logits[i];
				best = i;
			}
		}
		if (best < 0) throw nothingLeft();
		return best;
	}

	/** The error for logits that exclude every token. */
	static IllegalStateException nothingLeft() {
		return new IllegalStateException("every logit is -inf or NaN: the constraints left no token to sample " +
			"(check the candidate sizes, the forced image size and the forced tokens)");
	}
}
