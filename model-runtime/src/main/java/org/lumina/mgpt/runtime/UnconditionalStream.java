package org.lumina.mgpt.runtime;

import org.lumina.mgpt.runtime.logits.SequenceState;

/**
 * The unconditional branch of classifier-free guidance (spec §3.4), unbatched as in the reference:
 * a fresh {@link DecoderSession} per image, opened once the image's height and width are known and
 * prefilled with the sequence from the image's start token ({@code [imageStart, H, W]} when the
 * image was generated) at positions from 0; fed every later token; closed when the image ends.
 */
final class UnconditionalStream implements AutoCloseable {

	private final DecoderModel model;
	private final float[] logits; // [vocab] last-position logits of the unconditional session
	private DecoderSession session;
	private int imageStart = -1;
	private int forwards;

	UnconditionalStream(final DecoderModel model) {
		this.model = model;
		this.logits = new float[model.vocabSize()];
	}

	/**
	 * Follows the conditional stream after it was fed {@code chunk}; {@code state} already holds it.
	 */
	void follow(final SequenceState state, final int[] chunk) {
		final boolean wanted = state.insideImage() && state.gridColumns() > 0;
		if (session != null && (!wanted || imageStart != state.imageStart())) close();
		if (!wanted) return;
		if (session == null) {
			imageStart = state.imageStart();
			session = model.openSession();
			session.append(state.copyOfRange(imageStart), logits);
		}
		else {
			session.append(chunk, logits);
		}
		forwards++;
	}

	/** @return the logits for this step's guidance, or {@code null} when no image is being guided */
	float[] logitsOrNull() {
		return session == null ? null : logits;
	}

	/** @return decoder calls so far, prefills included */
	int forwards() {
		return forwards;
	}

	@Override
	public void close() {
		if (session != null) session.close();
		session = null;
		imageStart = -1;
	}
}
