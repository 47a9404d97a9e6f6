package org.lumina.mgpt.runtime.logits;

/**
 * A read-only view of the sequence being decoded, as the logits processors need it: the tokens so
 * far (prompt included), the number of generated tokens and the status of the current image
 * (spec §3.2: inside an image ⇔ {@code count(imageStart) == count(imageEnd) + 1}).
 * <p>
 * The generator keeps it up to date incrementally; values are only valid during one
 * {@link LogitsProcessor#process} call.
 * <p>
 * NB: more than three abstract methods on purpose: this is a view onto one object
 * ({@link SequenceState}), not a capability to implement.
 */
public interface DecodingState {

	/** @return the number of tokens so far, prompt included */
	int length();

	/** @return the token at {@code index}, {@code 0 <= index < length()} */
	int token(int index);

	/** @return how many tokens were sampled so far (prompt tokens excluded) */
	int generatedCount();

	/** @return whether the next token belongs to an image (after its start token, before its end) */
	boolean insideImage();

	/** @return the index of the current image's start token, or -1 outside an image */
	int imageStart();

	/** @return latent rows of the current image ({@code 2 * height units}), 0 until its height token is known */
	int gridRows();

	/** @return latent columns of the current image, without the end-of-line; 0 until its width token is known */
	int gridColumns();

	/**
	 * @return this step's unconditional logits for classifier-free guidance, or {@code null} when
	 *         there is no unconditional stream this step; never modify the array
	 */
	float[] unconditionalLogits();

	/** @return the last token, or -1 for an empty sequence */
	default int lastToken() {
		return length() == 0 ? -1 : token(length() - 1);
	}

	/**
	 * @return tokens of the current image after its start token (0: the height token comes next,
	 *         1: the width token, 2 or more: the body), or -1 outside an image
	 */
	default int imageTokensSinceStart() {
		return insideImage() ? length() - imageStart() - 1 : -1;
	}

	/** @return body tokens (image tokens and end-of-lines) of the current image so far; 0 outside */
	default int bodyTokens() {
		return Math.max(0, imageTokensSinceStart() - 2);
	}
}
