package org.lumina.mgpt.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a {@link DecoderModel} and keeps a copy of every logits vector its sessions write, split
 * into the conditional sequence (the first session opened, or the conditional row of a guided
 * session) and the unconditional ones, in call order.
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

	/** Records the logits of one sequence's appends into a list. */
	private static class RecordingSession implements DecoderSession {

		private final DecoderSession session;
		private final List<float[]> into;

		RecordingSession(final DecoderSession session, final List<float[]> into) {
			this.session = session;
			this.into = into;
		}

		@Override
		public void append(final int[] tokens, final float[] lastLogits) {
			session.append(tokens, lastLogits);
			into.add(lastLogits.clone());
		}

		@Override
		public int numPositions() {
			return session.numPositions();
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
			conditional.add(conditionalLogits.clone());
			unconditional.add(unconditionalLogits.clone());
		}

		@Override
		public void dropUnconditional() {
			session.dropUnconditional();
		}
	}
}
