package org.lumina.mgpt.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wraps a {@link DecoderModel} and keeps a copy of every logits vector its sessions write (one
 * per position when an append asks for several), split into the conditional sequence (the first
 * session opened, or the conditional row of a guided session) and the unconditional ones, in call
 * order.
 */
final class RecordingDecoderModel implements DecoderModel {

	final List<float[]> conditional = new ArrayList<>();
	final List<float[]> unconditional = new ArrayList<>();
	private final DecoderModel model;
	private int sessionsOpened;

	RecordingDecoderModel(final DecoderModel model) {
		this.model = model;
	}

	@Override
	public int vocabSize() {
		return model.vocabSize();
	}

	@Override
	public DecoderSession openSession() {
		return new RecordingSession(model.openSession(), sessionsOpened++ == 0 ? conditional : unconditional);
	}

	@Override
	public GuidedDecoderSession openGuidedSession() {
		return new RecordingGuidedSession(model.openGuidedSession());
	}

	private void record(final float[] logits, final List<float[]> into) {
		final int vocab = model.vocabSize();
		for (int from = 0; from < logits.length; from += vocab) into.add(Arrays.copyOfRange(logits, from, from + vocab));
	}

	/** Records the logits of one sequence's appends into a list. */
	private class RecordingSession implements DecoderSession {

		private final DecoderSession session;
		private final List<float[]> into;

		RecordingSession(final DecoderSession session, final List<float[]> into) {
			this.session = session;
			this.into = into;
		}

		@Override
		public void append(final int[] tokens, final float[] logits) {
			session.append(tokens, logits);
			record(logits, into);
		}

		@Override
		public int numPositions() {
			return session.numPositions();
		}

		@Override
		public void rewind(final int numPositions) {
			session.rewind(numPositions);
		}

		@Override
		public void close() {
			session.close();
		}
	}

	/** Records both rows of a guided session. */
	private final class RecordingGuidedSession extends RecordingSession implements GuidedDecoderSession {

		private final GuidedDecoderSession session;

		RecordingGuidedSession(final GuidedDecoderSession session) {
			super(session, conditional);
			this.session = session;
		}

		@Override
		public void appendBoth(final int[] conditionalTokens, final int[] unconditionalTokens,
			final float[] conditionalLogits, final float[] unconditionalLogits)
		{
			session.appendBoth(conditionalTokens, unconditionalTokens, conditionalLogits, unconditionalLogits);
			record(conditionalLogits, conditional);
			record(unconditionalLogits, unconditional);
		}

		@Override
		public int unconditionalPositions() {
			return session.unconditionalPositions();
		}

		@Override
		public void rewindUnconditional(final int numPositions) {
			session.rewindUnconditional(numPositions);
		}

		@Override
		public void dropUnconditional() {
			session.dropUnconditional();
		}
	}
}
