package org.lumina.mgpt.runtime;

/**
 * Classifier-free guidance as the reference runs it (spec §3.4): two sessions of the same model,
 * one decoder call each; the unconditional one is opened on the first {@link #appendBoth} and
 * closed by {@link #dropUnconditional}. Works on any {@link DecoderModel}.
 */
final class UnbatchedGuidedSession implements GuidedDecoderSession {

	private final DecoderModel model;
	private final DecoderSession conditional;
	private DecoderSession unconditional; // null while no image is guided

	UnbatchedGuidedSession(final DecoderModel model) {
		this.model = model;
		this.conditional = model.openSession();
	}

	// -- DecoderSession methods --

	@Override
	public void append(final int[] tokens, final float[] logits) {
		if (unconditional != null) throw GuidedDecoderSession.unconditionalOpen();
		conditional.append(tokens, logits);
	}

	@Override
	public int numPositions() {
		return conditional.numPositions();
	}

	@Override
	public void rewind(final int numPositions) {
		conditional.rewind(numPositions);
	}

	@Override
	public void close() {
		dropUnconditional();
		conditional.close();
	}

	// -- GuidedDecoderSession methods --

	@Override
	public void appendBoth(final int[] conditionalTokens, final int[] unconditionalTokens,
		final float[] conditionalLogits, final float[] unconditionalLogits)
	{
		conditional.append(conditionalTokens, conditionalLogits);
		if (unconditional == null) unconditional = model.openSession();
		unconditional.append(unconditionalTokens, unconditionalLogits);
	}

	@Override
	public int unconditionalPositions() {
		return unconditional == null ? 0 : unconditional.numPositions();
	}

	@Override
	public void rewindUnconditional(final int numPositions) {
		if (unconditional == null) throw GuidedDecoderSession.noUnconditional();
		unconditional.rewind(numPositions);
	}

	@Override
	public void dropUnconditional() {
		if (unconditional != null) unconditional.close();
		unconditional = null;
	}
}
