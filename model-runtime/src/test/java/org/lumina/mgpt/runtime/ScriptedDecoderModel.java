package org.lumina.mgpt.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fake {@link DecoderModel} whose logits are a deterministic function of each session's token
 * history (seeded noise plus a fixed bias), recording every append with its start position. A
 * session used after close records the misuse and throws, as the real one does.
 */
public final class ScriptedDecoderModel implements DecoderModel {

	/** Writes the logits for a session whose tokens so far are {@code history}. */
	@FunctionalInterface
	public interface Script {

		void logits(int[] history, float[] out);
	}

	private final int vocabSize;
	private final Script script;
	private final List<Session> sessions = new ArrayList<>();

	public ScriptedDecoderModel(final int vocabSize, final Script script) {
		this.vocabSize = vocabSize;
		this.script = script;
	}

	/** Gaussian noise of standard deviation {@code scale} seeded by the history, plus {@code bias}. */
	public static Script random(final long seed, final double scale, final float[] bias) {
		return (history, out) -> {
			long hash = seed;
			for (final int t : history) hash = hash * 0x9E3779B97F4A7C15L + t + 1;
			final SplittableRandom random = new SplittableRandom(hash);
			for (int i = 0; i < out.length; i++) out[i] = (float) (random.nextGaussian() * scale) + bias[i];
		};
	}

	@Override
	public int vocabSize() {
		return vocabSize;
	}

	@Override
	public DecoderSession openSession() {
		final Session session = new Session();
		sessions.add(session);
		return session;
	}

	/** @return every session opened so far, in order (the first is a generator's conditional one) */
	public List<Session> sessions() {
		return sessions;
	}

	/** One recorded sequence. */
	public final class Session implements DecoderSession {

		/** Each append's tokens. */
		public final List<int[]> appends = new ArrayList<>();
		/** Each append's first position. */
		public final List<Integer> positions = new ArrayList<>();
		/** Each rewind's kept positions. */
		public final List<Integer> rewinds = new ArrayList<>();
		private int[] history = new int[0];
		public boolean closed, usedAfterClose;

		@Override
		public void append(final int[] tokens, final float[] logits) {
			checkOpen();
			final int keep = DecoderSession.logitPositions(tokens, logits, vocabSize);
			appends.add(tokens.clone());
			positions.add(history.length);
			final int[] next = Arrays.copyOf(history, history.length + tokens.length);
			System.arraycopy(tokens, 0, next, history.length, tokens.length);
			history = next;
			final float[] out = new float[vocabSize];
			for (int k = 0; k < keep; k++) {
				script.logits(Arrays.copyOf(history, history.length - keep + 1 + k), out);
				System.arraycopy(out, 0, logits, k * vocabSize, vocabSize);
			}
		}

		@Override
		public int numPositions() {
			return history.length;
		}

		@Override
		public void rewind(final int numPositions) {
			checkOpen();
			DecoderSession.checkRewind(numPositions, history.length);
			rewinds.add(numPositions);
			history = Arrays.copyOf(history, numPositions);
		}

		private void checkOpen() {
			if (closed) {
				usedAfterClose = true;
				throw new IllegalStateException("session used after close");
			}
		}

		/** @return every token appended so far */
		public int[] history() {
			return history.clone();
		}

		@Override
		public void close() {
			closed = true;
		}
	}
}
