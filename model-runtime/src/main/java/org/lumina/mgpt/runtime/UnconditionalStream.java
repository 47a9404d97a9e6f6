package org.lumina.mgpt.runtime;

import org.lumina.mgpt.runtime.logits.SequenceState;

/**
 * Decides what the unconditional branch of classifier-free guidance sees (spec §3.4) and feeds it
 * with the conditional stream through one {@link GuidedDecoderSession}: its sequence starts once
 * the image's height and width are known, with the sequence from the image's start token
 * ({@code [imageStart, H, W]} when the image was generated) at positions from 0, nothing of the
 * prompt; it is fed every later token and dropped when the image ends.
 */
final class UnconditionalStream {

	private final GuidedDecoderSession session;
	private final float[] logits; // [vocab] last-position logits of the unconditional sequence
	private int imageStart = -1; // where the guided image starts in the sequence, -1 when none is
	private int forwards;

	UnconditionalStream(final GuidedDecoderSession session, final int vocabSize) {
		this.session = session;
		this.logits = new float[vocabSize];
	}

	/**
	 * Feeds {@code chunk} to the conditional sequence and, inside a guided image, what the
	 * unconditional one must see; {@code state} already holds the chunk.
	 */
	void append(final SequenceState state, final int[] chunk, final float[] conditionalLogits) {
		final boolean wanted = state.insideImage() && state.gridColumns() > 0;
		if (imageStart >= 0 && (!wanted || imageStart != state.imageStart())) end();
		if (!wanted) {
			session.append(chunk, conditionalLogits);
			return;
		}
		final int[] unconditional = imageStart < 0 ? state.copyOfRange(state.imageStart()) : chunk;
		imageStart = state.imageStart();
		session.appendBoth(chunk, unconditional, conditionalLogits, logits);
		forwards++;
	}

	/**
	 * Feeds the same window of tokens to both sequences of the guided image, in one
	 * {@link GuidedDecoderSession#appendBoth}, for speculative decoding: both see the same drafts,
	 * and each writes the logits of every position of the window.
	 *
	 * @throws IllegalStateException when no image is being guided (the image's first
	 *             {@link #append} opens its unconditional sequence)
	 */
	void appendWindow(final int[] window, final float[] conditionalLogits, final float[] unconditionalLogits) {
		if (imageStart < 0) throw new IllegalStateException("no guided image is open: append its size tokens first");
		session.appendBoth(window, window, conditionalLogits, unconditionalLogits);
		forwards++;
	}

	/** Forgets the last {@code positions} positions of both sequences (rejected drafts). */
	void forgetLast(final int positions) {
		session.rewind(session.numPositions() - positions);
		session.rewindUnconditional(session.unconditionalPositions() - positions);
	}

	/** @return the logits for this step's guidance, or {@code null} when no image is being guided */
	float[] logitsOrNull() {
		return imageStart < 0 ? null : logits;
	}

	/** @return decoder calls the unconditional sequence took part in, prefills included */
	int forwards() {
		return forwards;
	}

	/** Drops the unconditional sequence (frees its cache) when an image is being guided. */
	void end() {
		if (imageStart < 0) return;
		session.dropUnconditional();
		imageStart = -1;
	}
}
