package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.lumina.mgpt.runtime.onnx.RewindScenario.PROMPT;
import static org.lumina.mgpt.runtime.onnx.RewindScenario.concat;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.Generator;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.bundle.KvLayout;

/**
 * {@link OrtSharedBufferSession} on the {@code shared_buffer} twin of the committed tiny bundle
 * (same seed, same weights: {@code export.py --tiny --seed 1 --kv-layout shared_buffer --out DIR})
 * against {@link OrtDecoderSession} on the committed {@code concat} bundle: logits within 1e-4
 * over hundreds of positions (the buffer growing on the way), the guidance pair as rows of
 * different lengths, the logits of several positions, rewinding (a length, not a copy), the same
 * greedy tokens through {@link Generator}, and proof that a step writes into the session's own
 * buffer. Runs when the system property {@code lumina.kv.bundle}
 * names that folder.
 */
class SharedBufferSessionTest {

	private static final int[] UNCONDITIONAL = { 8197, 8805, 8806 };

	private static Model concat;
	private static Model shared;

	@BeforeAll
	static void open() {
		final String dir = System.getProperty("lumina.kv.bundle", "").trim();
		assumeFalse(dir.isEmpty(), "-Dlumina.kv.bundle names no shared_buffer export of the tiny bundle's weights");
		concat = Model.open(TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1));
		shared = Model.open(Path.of(dir), ModelOptions.cpu().withCpuThreads(1));
		assertEquals(KvLayout.SHARED_BUFFER, shared.manifest().decoder().kvLayout());
	}

	@AfterAll
	static void close() {
		if (concat != null) concat.close();
		if (shared != null) shared.close();
	}

	/** A prompt with an image, then 300 greedy steps; the buffer starts at 8 positions and grows 5 times. */
	@Test
	void prefillAndThreeHundredStepsMatchConcat() {
		final int vocab = concat.decoder().vocabSize();
		final float[] expected = new float[vocab], actual = new float[vocab];
		final int[] prompt = new ReferenceDumps(TestBundles.tiny()).decoderCases().get(0).inputIds();
		try (OrtSharedBufferSession session = new OrtSharedBufferSession((OrtDecoderModel) shared.decoder(), 8);
			DecoderSession plain = concat.decoder().openSession())
		{
			plain.append(prompt, expected);
			session.append(prompt, actual);
			DecoderParityTest.assertClose(expected, actual, "prefill");
			for (int step = 1; step <= 300; step++) {
				final int[] token = { argmax(expected) };
				plain.append(token, expected);
				session.append(token, actual);
				DecoderParityTest.assertClose(expected, actual, "step " + step);
			}
			assertEquals(prompt.length + 300, session.numPositions());
			assertEquals(prompt.length << 4, session.cache().capacity(), "grown to the prompt, then doubled 4 times");
		}
	}

	/**
	 * A step leaves the positions past the new length as they were: ONNX Runtime wrote into the
	 * session's buffer (a separate present tensor would come back zero-filled there, or be copied
	 * in), and no native object outlives the step.
	 */
	@Test
	void aStepWritesIntoTheSessionsBuffer() {
		final int vocab = shared.decoder().vocabSize();
		final int heads = shared.manifest().decoder().numHeads(), headDim = shared.manifest().decoder().headDim();
		try (OrtSharedBufferSession session = new OrtSharedBufferSession((OrtDecoderModel) shared.decoder(), 64)) {
			session.append(PROMPT, new float[vocab]);
			final FloatBuffer keys = session.cache().buffer(0, 0).asFloatBuffer(); // [1, heads, 64, headDim]
			final int next = PROMPT.length;
			for (int head = 0; head < heads; head++) {
				for (int i = (head * 64 + next) * headDim; i < (head + 1) * 64 * headDim; i++) keys.put(i, 7f);
			}
			final long live = NativeObjects.live();
			session.append(new int[] { 10 }, new float[vocab]);
			assertEquals(live, NativeObjects.live(), "native objects after a step");
			assertEquals(64, session.cache().capacity());
			for (int head = 0; head < heads; head++) {
				for (int d = 0; d < headDim; d++) {
					assertNotEquals(7f, keys.get((head * 64 + next) * headDim + d), "head " + head + " position " + next);
				}
				for (int i = (head * 64 + next + 1) * headDim; i < (head + 1) * 64 * headDim; i++) {
					assertEquals(7f, keys.get(i), "head " + head + ", past the new length");
				}
			}
		}
	}

	/**
	 * Guidance: the unconditional row opens with three tokens while the conditional one takes one
	 * (a call per row), then both take one token per step (one call, rows of different lengths);
	 * after the drop the conditional row goes on alone, and a second image reopens row 1 from 0.
	 */
	@Test
	void guidedRowsOfDifferentLengthsMatchConcat() {
		final int vocab = concat.decoder().vocabSize();
		final float[] expectedConditional = new float[vocab], expectedUnconditional = new float[vocab];
		final float[] conditional = new float[vocab], unconditional = new float[vocab];
		try (GuidedDecoderSession plain = concat.decoder().openGuidedSession();
			GuidedDecoderSession guided = shared.decoder().openGuidedSession())
		{
			assertTrue(guided instanceof OrtSharedBufferSession, guided.getClass().getName());
			plain.append(PROMPT, expectedConditional);
			guided.append(PROMPT, conditional);
			for (int image = 0; image < 2; image++) {
				plain.appendBoth(new int[] { 10 }, UNCONDITIONAL, expectedConditional, expectedUnconditional);
				guided.appendBoth(new int[] { 10 }, UNCONDITIONAL, conditional, unconditional);
				assertPairClose(expectedConditional, conditional, expectedUnconditional, unconditional, "image " + image +
					" opened");
				for (int step = 0; step < 30; step++) {
					final int[] c = { 100 + step }, u = { 200 + step };
					plain.appendBoth(c, u, expectedConditional, expectedUnconditional);
					guided.appendBoth(c, u, conditional, unconditional);
					assertPairClose(expectedConditional, conditional, expectedUnconditional, unconditional, "image " +
						image + " step " + step);
				}
				assertThrows(IllegalStateException.class, () -> guided.append(new int[] { 1 }, new float[vocab]));
				plain.dropUnconditional();
				guided.dropUnconditional();
				plain.append(new int[] { 11, 12 }, expectedConditional);
				guided.append(new int[] { 11, 12 }, conditional);
				DecoderParityTest.assertClose(expectedConditional, conditional, "conditional alone after image " + image);
			}
			assertEquals(plain.numPositions(), guided.numPositions());
		}
	}

	/** The logits of the last three positions of one call, as the concat session gives them. */
	@Test
	void severalPositionsMatchConcat() {
		final int vocab = concat.decoder().vocabSize();
		final float[] expected = new float[3 * vocab], actual = new float[3 * vocab];
		try (DecoderSession plain = concat.decoder().openSession();
			DecoderSession session = shared.decoder().openSession())
		{
			plain.append(PROMPT, expected);
			session.append(PROMPT, actual);
			DecoderParityTest.assertClose(expected, actual, "prompt, last 3 positions");
			plain.append(new int[] { 10, 11, 12, 13 }, expected);
			session.append(new int[] { 10, 11, 12, 13 }, actual);
			DecoderParityTest.assertClose(expected, actual, "window of 4, last 3 positions");
			assertThrows(IllegalArgumentException.class, () -> session.append(new int[] { 1, 2 }, new float[3 * vocab]));
		}
	}

	/**
	 * {@link OrtSharedBufferSession#rewind} ({@link RewindScenario}, against the concat layout): the
	 * logits of fresh sessions, and the buffer neither moved nor grew.
	 */
	@Test
	void rewindThenAppendMatchesAFreshRun() {
		final int last = 15 * shared.manifest().decoder().headDim(); // head 0, the buffer's last position
		try (OrtSharedBufferSession session = new OrtSharedBufferSession((OrtDecoderModel) shared.decoder(), 16)) {
			RewindScenario.check(session, shared.decoder().vocabSize(), concat.decoder()::openSession, () -> session.cache()
				.buffer(0, 0).asFloatBuffer().put(last, 7f), () -> {
					assertEquals(16, session.cache().capacity());
					assertEquals(7f, session.cache().buffer(0, 0).asFloatBuffer().get(last), "the same memory, never copied");
				});
		}
	}

	/** Rewinding both rows of the guided pair by different amounts, then one batched and one split call. */
	@Test
	void guidedRewindMatchesConcat() {
		final int vocab = concat.decoder().vocabSize();
		final float[] conditional = new float[vocab], unconditional = new float[vocab];
		final float[] expectedConditional = new float[vocab], expectedUnconditional = new float[vocab];
		try (GuidedDecoderSession plain = concat.decoder().openGuidedSession();
			GuidedDecoderSession guided = shared.decoder().openGuidedSession())
		{
			assertThrows(IllegalStateException.class, () -> guided.rewindUnconditional(0));
			for (final GuidedDecoderSession session : List.of(plain, guided)) {
				session.append(PROMPT, new float[vocab]);
				session.appendBoth(new int[] { 10, 11, 12 }, concat(UNCONDITIONAL, new int[] { 14, 15 }), new float[vocab],
					new float[vocab]);
				session.rewind(PROMPT.length + 1);
				session.rewindUnconditional(UNCONDITIONAL.length + 1);
			}
			assertEquals(UNCONDITIONAL.length + 1, guided.unconditionalPositions());
			plain.appendBoth(new int[] { 20 }, new int[] { 22 }, expectedConditional, expectedUnconditional);
			guided.appendBoth(new int[] { 20 }, new int[] { 22 }, conditional, unconditional);
			assertPairClose(expectedConditional, conditional, expectedUnconditional, unconditional, "one call");
			plain.appendBoth(new int[] { 23, 24 }, new int[] { 25 }, expectedConditional, expectedUnconditional);
			guided.appendBoth(new int[] { 23, 24 }, new int[] { 25 }, conditional, unconditional);
			assertPairClose(expectedConditional, conditional, expectedUnconditional, unconditional, "a call per row");
			assertEquals(plain.numPositions(), guided.numPositions());
			assertEquals(plain.unconditionalPositions(), guided.unconditionalPositions());
			guided.dropUnconditional();
			assertEquals(0, guided.unconditionalPositions());
		}
	}

	/** Greedy generation with guidance through {@link Generator}: the same tokens on both layouts. */
	@Test
	void generatorGivesTheSameTokensOnBothLayouts() {
		final long before = NativeObjects.live();
		final GenerationParams params = GenerationParams.defaults().withTemperature(0).withCfg(3.0)
			.withForcedImageSize(new ImageSize(64, 64)).withMaxNewTokens(40);
		final List<ImageSize> sizes = List.of(new ImageSize(64, 64));
		final int[] prompt = concat.tokenizer().encode("A ring");
		final int[] expected, actual;
		try (Generator generator = new Generator(concat.decoder(), concat.manifest().tokens(), sizes, params)) {
			generator.generate(prompt, TokenListener.NONE);
			expected = generator.tokens();
		}
		try (Generator generator = new Generator(shared.decoder(), shared.manifest().tokens(), sizes, params)) {
			generator.generate(prompt, TokenListener.NONE);
			actual = generator.tokens();
		}
		assertTrue(expected.length > prompt.length + 20, "generated " + (expected.length - prompt.length));
		assertArrayEquals(expected, actual);
		assertEquals(before, NativeObjects.live(), "native objects freed");
	}

	/**
	 * Speculative Jacobi decoding with guidance (windows of drafts appended to both rows, one call
	 * per row, then rewound by length): greedy gives plain greedy's tokens on the concat layout,
	 * and seeded sampling the same tokens as on the concat layout.
	 */
	@Test
	void speculativeDecodingGivesTheConcatLayoutsTokens() {
		final long before = NativeObjects.live();
		final GenerationParams greedy = GenerationParams.defaults().withTemperature(0).withCfg(3.0).withImageTopK(3)
			.withForcedImageSize(new ImageSize(64, 64)).withMaxNewTokens(3 + 4 * 5 + 1);
		final int[] prompt = concat.tokenizer().encode("A ring");
		final int[] plain = generate(concat, prompt, greedy);
		final int[] jacobi = generate(shared, prompt, greedy.withJacobiWindow(GenerationParams.DEFAULT_JACOBI_WINDOW));
		assertArrayEquals(plain, jacobi, "greedy");
		final GenerationParams sampled = greedy.withTemperature(1.0).withSeed(11).withJacobiWindow(
			GenerationParams.DEFAULT_JACOBI_WINDOW);
		assertArrayEquals(generate(concat, prompt, sampled), generate(shared, prompt, sampled), "sampled, seed 11");
		assertEquals(before, NativeObjects.live(), "native objects freed");
	}

	/** {@link OrtSharedBufferSession#close}: with both rows open, every native object is freed; later use fails. */
	@Test
	void closeFreesEveryNativeObject() {
		OrtDecoderSessionTest.assertCloseWithBothRowsFreesNativeObjects(shared);
	}

	// -- Helper methods --

	private static void assertPairClose(final float[] expectedConditional, final float[] conditional,
		final float[] expectedUnconditional, final float[] unconditional, final String what)
	{
		DecoderParityTest.assertClose(expectedConditional, conditional, what + ", conditional row");
		DecoderParityTest.assertClose(expectedUnconditional, unconditional, what + ", unconditional row");
	}

	private static int[] generate(final Model model, final int[] prompt, final GenerationParams params) {
		try (Generator generator = new Generator(model.decoder(), model.manifest().tokens(), List.of(new ImageSize(64,
			64)), params))
		{
			generator.generate(prompt, TokenListener.NONE);
			return generator.tokens();
		}
	}


	private static int argmax(final float[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++) {
			if (values[i] > values[best]) best = i;
		}
		return best;
	}
}
