package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.onnx.RewindScenario.PROMPT;
import static org.lumina.mgpt.runtime.onnx.RewindScenario.concat;

import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;

/**
 * {@link OrtDecoderSession} as a {@link GuidedDecoderSession} on the tiny bundle: the batched rows
 * give a plain session's logits, the lifecycle of the second row, native memory, the logits of
 * several positions from one call and rewinding (what speculative decoding needs).
 */
class OrtDecoderSessionTest {

	private static final int[] UNCONDITIONAL = { 8197, 8805, 8806 };

	private static Model model;

	@BeforeAll
	static void open() {
		model = Model.open(TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** Both rows against separate sessions, then the conditional row alone after the drop. */
	@Test
	void rowsMatchSeparateSessions() {
		final int vocab = model.decoder().vocabSize();
		final float[] expected = new float[vocab], conditional = new float[vocab], unconditional = new float[vocab];
		try (GuidedDecoderSession guided = model.decoder().openGuidedSession();
			DecoderSession plain = model.decoder().openSession();
			DecoderSession separate = model.decoder().openSession())
		{
			guided.append(PROMPT, conditional);
			plain.append(PROMPT, expected);
			DecoderParityTest.assertClose(expected, conditional, "prompt");
			guided.appendBoth(new int[] { 10 }, UNCONDITIONAL, conditional, unconditional);
			plain.append(new int[] { 10 }, expected);
			DecoderParityTest.assertClose(expected, conditional, "conditional row, padded");
			separate.append(UNCONDITIONAL, expected);
			DecoderParityTest.assertClose(expected, unconditional, "unconditional row, from position 0");
			guided.appendBoth(new int[] { 11, 12 }, new int[] { 13 }, conditional, unconditional);
			plain.append(new int[] { 11, 12 }, expected);
			DecoderParityTest.assertClose(expected, conditional, "conditional row, two tokens");
			separate.append(new int[] { 13 }, expected);
			DecoderParityTest.assertClose(expected, unconditional, "unconditional row, padded");
			final IllegalStateException paired = assertThrows(IllegalStateException.class, () -> guided.append(
				new int[] { 14 }, conditional));
			assertTrue(paired.getMessage().contains("dropUnconditional"), paired.getMessage());
			guided.dropUnconditional();
			guided.dropUnconditional(); // idempotent
			guided.append(new int[] { 14 }, conditional);
			plain.append(new int[] { 14 }, expected);
			DecoderParityTest.assertClose(expected, conditional, "conditional row alone after the drop");
			assertEquals(plain.numPositions(), guided.numPositions());
		}
	}

	/** {@link OrtDecoderSession#close}: with both rows open, every native object is freed; later use fails. */
	@Test
	void closeWithBothRowsFreesNativeObjects() {
		assertCloseWithBothRowsFreesNativeObjects(model);
	}

	/** Closing a guided session of {@code model} with both rows open frees every native object; later use fails. */
	static void assertCloseWithBothRowsFreesNativeObjects(final Model model) {
		final long before = NativeObjects.live();
		final int vocab = model.decoder().vocabSize();
		final GuidedDecoderSession guided = model.decoder().openGuidedSession();
		guided.append(PROMPT, new float[vocab]);
		guided.appendBoth(new int[] { 10 }, UNCONDITIONAL, new float[vocab], new float[vocab]);
		assertTrue(NativeObjects.live() > before);
		guided.close();
		guided.close();
		assertEquals(before, NativeObjects.live());
		assertThrows(IllegalStateException.class, guided::dropUnconditional);
		assertThrows(IllegalStateException.class, () -> guided.append(new int[] { 1 }, new float[vocab]));
	}

	/** {@link OrtDecoderSession#append} with the logits of several positions: each equals a one-position call's. */
	@Test
	void severalPositionsMatchOneAtATime() {
		final int vocab = model.decoder().vocabSize();
		final float[] three = new float[3 * vocab], expected = new float[vocab];
		try (DecoderSession session = model.decoder().openSession()) {
			session.append(PROMPT, three);
			for (int k = 0; k < 3; k++) {
				try (DecoderSession single = model.decoder().openSession()) {
					single.append(Arrays.copyOf(PROMPT, PROMPT.length - 2 + k), expected);
				}
				DecoderParityTest.assertClose(expected, slice(three, k, vocab), "position " + (PROMPT.length - 3 + k));
			}
			assertThrows(IllegalArgumentException.class, () -> session.append(new int[] { 1, 2 }, new float[3 * vocab]));
			assertThrows(IllegalArgumentException.class, () -> session.append(new int[] { 1, 2 }, new float[vocab + 1]));
		}
	}

	/** {@link OrtDecoderSession#rewind}: over columns already masked, the logits of fresh sessions. */
	@Test
	void rewindThenAppendMatchesFreshSession() {
		try (DecoderSession session = model.decoder().openSession()) {
			RewindScenario.check(session, model.decoder().vocabSize(), model.decoder()::openSession, () -> {}, () -> {});
		}
	}

	/** Rewinding both rows of the batched guided pair, by different amounts, against separate sessions. */
	@Test
	void guidedRewindMatchesSeparateSessions() {
		final int vocab = model.decoder().vocabSize();
		final float[] conditional = new float[2 * vocab], unconditional = new float[vocab];
		final float[] expectedConditional = new float[2 * vocab], expectedUnconditional = new float[vocab];
		try (GuidedDecoderSession guided = model.decoder().openGuidedSession();
			DecoderSession plain = model.decoder().openSession();
			DecoderSession separate = model.decoder().openSession())
		{
			assertThrows(IllegalStateException.class, () -> guided.rewindUnconditional(0));
			guided.append(PROMPT, new float[vocab]);
			guided.appendBoth(new int[] { 10, 11, 12 }, concat(UNCONDITIONAL, new int[] { 14, 15 }), new float[3 * vocab],
				new float[2 * vocab]);
			assertEquals(UNCONDITIONAL.length + 2, guided.unconditionalPositions());
			guided.rewind(PROMPT.length + 1);
			guided.rewindUnconditional(UNCONDITIONAL.length + 1);
			assertThrows(IllegalArgumentException.class, () -> guided.rewindUnconditional(UNCONDITIONAL.length + 2));
			guided.appendBoth(new int[] { 20, 21 }, new int[] { 22 }, conditional, unconditional);
			plain.append(concat(PROMPT, new int[] { 10, 20, 21 }), expectedConditional);
			separate.append(concat(UNCONDITIONAL, new int[] { 14, 22 }), expectedUnconditional);
			DecoderParityTest.assertClose(expectedConditional, conditional, "conditional row after rewind");
			DecoderParityTest.assertClose(expectedUnconditional, unconditional, "unconditional row after rewind");
			assertEquals(plain.numPositions(), guided.numPositions());
			assertEquals(separate.numPositions(), guided.unconditionalPositions());
			guided.dropUnconditional();
			assertEquals(0, guided.unconditionalPositions());
		}
	}

	/**
	 * Many rejected drafts (more masked columns than attended ones, so the cache is rebuilt without
	 * them), for both rows of the guided pair: the logits still equal fresh sessions'.
	 */
	@Test
	void compactionAfterManyRewindsKeepsTheLogits() {
		final int vocab = model.decoder().vocabSize();
		final float[] conditional = new float[vocab], unconditional = new float[vocab];
		final float[] expected = new float[vocab];
		final int[] kept = new int[60];
		try (GuidedDecoderSession guided = model.decoder().openGuidedSession();
			DecoderSession plain = model.decoder().openSession();
			DecoderSession separate = model.decoder().openSession())
		{
			guided.append(PROMPT, conditional);
			guided.appendBoth(new int[] { 10 }, UNCONDITIONAL, conditional, unconditional);
			for (int i = 0; i < kept.length; i++) {
				kept[i] = 20 + i % 50;
				guided.appendBoth(new int[] { kept[i], 7, 8, 9, 11 }, new int[] { kept[i], 7, 8, 9, 11 }, new float[5 *
					vocab], new float[5 * vocab]);
				guided.rewind(guided.numPositions() - 4);
				guided.rewindUnconditional(guided.unconditionalPositions() - 4);
			}
			guided.appendBoth(new int[] { 12 }, new int[] { 12 }, conditional, unconditional);
			plain.append(concat(concat(PROMPT, new int[] { 10 }), concat(kept, new int[] { 12 })), expected);
			DecoderParityTest.assertClose(expected, conditional, "conditional row after compaction");
			separate.append(concat(UNCONDITIONAL, concat(kept, new int[] { 12 })), expected);
			DecoderParityTest.assertClose(expected, unconditional, "unconditional row after compaction");
			guided.dropUnconditional();
			guided.append(new int[] { 13 }, conditional);
			plain.append(new int[] { 13 }, expected);
			DecoderParityTest.assertClose(expected, conditional, "conditional row alone after compaction");
		}
	}

	/**
	 * A long run of one-token steps, with calls of several positions between them, so that the
	 * inputs and the logits output kept across calls change shape and their buffers grow several
	 * times: at checkpoints, the logits equal a fresh session's fed the whole sequence in one call.
	 */
	@Test
	void longRunWithReusedTensorsMatchesOneCall() {
		final int vocab = model.decoder().vocabSize();
		final float[] actual = new float[2 * vocab], expected = new float[2 * vocab];
		final int[] sequence = new int[PROMPT.length + 400];
		System.arraycopy(PROMPT, 0, sequence, 0, PROMPT.length);
		for (int i = PROMPT.length; i < sequence.length; i++) sequence[i] = 10 + i * 7 % 90;
		try (DecoderSession session = model.decoder().openSession()) {
			session.append(PROMPT, new float[vocab]);
			int length = PROMPT.length;
			while (length < sequence.length) {
				final int chunk = length % 50 == 0 ? 3 : 1;
				final float[] logits = chunk == 1 ? new float[vocab] : actual;
				session.append(Arrays.copyOfRange(sequence, length, length + chunk), logits);
				length += chunk;
				if (chunk == 3 && (length - chunk) % 100 == 0) {
					try (DecoderSession fresh = model.decoder().openSession()) {
						fresh.append(Arrays.copyOf(sequence, length), expected);
					}
					DecoderParityTest.assertClose(expected, actual, "the last two positions of " + length);
				}
			}
			assertEquals(sequence.length, session.numPositions());
		}
	}

	private static float[] slice(final float[] logits, final int position, final int vocab) {
		return Arrays.copyOfRange(logits, position * vocab, (position + 1) * vocab);
	}

}
