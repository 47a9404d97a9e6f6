package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.onnx.NativeObjects;

/**
 * {@link GuidanceBatching#BATCHED} against {@link GuidanceBatching#UNBATCHED} on the committed
 * tiny bundle with the real ONNX graph: at every step both sequences' logits agree within 1e-4
 * and the same seed samples the same tokens, for images that start after a text prompt, after
 * generated text, with the prompt itself, and text that continues after an image.
 */
class GuidanceBatchingTest {

	private static final float TOLERANCE = 1e-4f;
	/** Small candidate sizes keep images to 12-24 tokens. */
	private static final List<ImageSize> SIZES = List.of(new ImageSize(64, 64), new ImageSize(32, 64), new ImageSize(
		64, 32), new ImageSize(96, 32));
	private static final GenerationParams GUIDED = GenerationParams.defaults().withCfg(3.0).withImageTopK(200)
		.withSeed(7);

	private static Model model;
	private static TokenIds ids;
	private static int[] textPrompt;

	@BeforeAll
	static void open() {
		model = Model.open(TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1));
		ids = model.manifest().tokens();
		textPrompt = TestBundles.textPrompt(model);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** An image forced after a text prompt, then text until maxNewTokens. */
	@Test
	void imageAfterTextPromptThenTextMatchUnbatched() {
		final GenerationParams params = GUIDED.withForcedImageSize(new ImageSize(64, 64)).withMaxNewTokens(24 + 16);
		final int[] tokens = assertSameAsUnbatched(generator -> generator.generate(textPrompt, TokenListener.NONE),
			params);
		assertEquals(ids.imageEnd(), tokens[23]);
	}

	/**
	 * Two images opened between generated text: each starts mid-generation, its size sampled, and
	 * text continues after each.
	 */
	@Test
	void imagesAfterGeneratedTextMatchUnbatched() {
		final int imageTokens = 24; // at most: [start, H, W] + 4 rows of 4 + eol + end
		final int[] tokens = assertSameAsUnbatched(generator -> {
			generator.appendTokens(textPrompt);
			for (int image = 0; image < 2; image++) {
				for (int i = 0; i < 4; i++) generator.nextToken();
				generator.appendTokens(new int[] { ids.imageStart() });
				for (int i = 0; i < imageTokens && !generator.isDone(); i++) generator.nextToken();
			}
			while (!generator.isDone()) generator.nextToken();
		}, GUIDED.withMaxNewTokens(2 * (4 + imageTokens) + 4));
		assertEquals(2, Arrays.stream(tokens).filter(t -> t == ids.imageEnd()).count(), Arrays.toString(tokens));
	}

	/** A prompt that ends in [start, H, W]: the first call feeds the rows chunks of different lengths. */
	@Test
	void promptOpeningTheImageMatchesUnbatched() {
		final int[] prompt = Arrays.copyOf(textPrompt, textPrompt.length + 3);
		prompt[textPrompt.length] = ids.imageStart();
		prompt[textPrompt.length + 1] = ids.sizeToken(32);
		prompt[textPrompt.length + 2] = ids.sizeToken(96);
		assertSameAsUnbatched(generator -> generator.generate(prompt, TokenListener.NONE), GUIDED.withMaxNewTokens(
			2 * 7 + 1 + 6));
	}

	/** {@link Generator#generate}: cancelled inside a batched image, every native object is freed. */
	@Test
	void cancellationInsideABatchedImageFreesNativeObjects() {
		final long before = NativeObjects.live();
		final AtomicInteger seen = new AtomicInteger();
		final RecordingDecoderModel recording = new RecordingDecoderModel(model.decoder());
		final Generator generator = new Generator(recording, ids, SIZES, GUIDED.withForcedImageSize(new ImageSize(64,
			64)).withMaxNewTokens(24), GuidanceBatching.BATCHED);
		assertThrows(CancellationException.class, () -> generator.generate(textPrompt, new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				seen.incrementAndGet();
			}
		}, () -> seen.get() >= 10));
		assertTrue(recording.unconditional.size() >= 5, "cancelled inside the guided image");
		assertEquals(before, NativeObjects.live(), "the batched KV cache is freed");
		assertThrows(IllegalStateException.class, generator::nextToken);
	}

	// -- Helper methods --

	/** Runs {@code drive} both ways; asserts equal tokens and logits; @return the tokens */
	private static int[] assertSameAsUnbatched(final Consumer<Generator> drive, final GenerationParams params) {
		final long before = NativeObjects.live();
		final RecordingDecoderModel unbatched = new RecordingDecoderModel(model.decoder());
		final RecordingDecoderModel batched = new RecordingDecoderModel(model.decoder());
		final int[] expected = run(unbatched, params, GuidanceBatching.UNBATCHED, drive);
		final int[] actual = run(batched, params, GuidanceBatching.BATCHED, drive);
		assertEquals(before, NativeObjects.live(), "native objects freed");
		assertArrayEquals(expected, actual, "same seed, same tokens");
		assertTrue(unbatched.unconditional.size() > 10, "guidance ran: " + unbatched.unconditional.size());
		assertAllClose(unbatched.conditional, batched.conditional, "conditional");
		assertAllClose(unbatched.unconditional, batched.unconditional, "unconditional");
		return actual;
	}

	private static int[] run(final DecoderModel decoder, final GenerationParams params, final GuidanceBatching batching,
		final Consumer<Generator> drive)
	{
		try (Generator generator = new Generator(decoder, ids, SIZES, params, batching)) {
			drive.accept(generator);
			return generator.tokens();
		}
	}

	private static void assertAllClose(final List<float[]> expected, final List<float[]> actual, final String what) {
		assertEquals(expected.size(), actual.size(), what + " decoder calls");
		for (int step = 0; step < expected.size(); step++) {
			float worst = 0;
			for (int i = 0; i < expected.get(step).length; i++) {
				worst = Math.max(worst, Math.abs(expected.get(step)[i] - actual.get(step)[i]));
			}
			assertTrue(worst <= TOLERANCE, what + " step " + step + ": max abs diff " + worst);
		}
	}
}
