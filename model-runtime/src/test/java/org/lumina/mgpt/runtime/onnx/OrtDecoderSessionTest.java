package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * give a plain session's logits, the lifecycle of the second row, and native memory.
 */
class OrtDecoderSessionTest {

	private static final int[] PROMPT = { 0, 5, 6, 7, 8, 9 };
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
		assertThrows(IllegalStateException.class, () -> guided.appendBoth(new int[] { 1 }, new int[] { 1 },
			new float[vocab], new float[vocab]));
	}
}
