package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY_SIZES;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY_VOCAB;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Tests {@link Generator} on a {@link ScriptedDecoderModel}. */
class GeneratorTest {

	static final int[] PROMPT = { 0, 31, 32, 33 };
	static final GenerationParams SAMPLING = GenerationParams.defaults().withImageTopK(TINY_VOCAB).withTextTopK(
		TINY_VOCAB).withMaxNewTokens(200);

	/** Random logits favouring images a little and the stop token not at all. */
	static ScriptedDecoderModel model(final long seed) {
		final float[] bias = new float[TINY_VOCAB];
		bias[TINY.imageStart()] = 2;
		bias[TINY.separator()] = -30;
		return new ScriptedDecoderModel(TINY_VOCAB, ScriptedDecoderModel.random(seed, 3, bias));
	}

	static GenerationResult run(final ScriptedDecoderModel model, final GenerationParams params,
		final TokenListener listener)
	{
		try (Generator generator = new Generator(model, TINY, TINY_SIZES, params)) {
			return generator.generate(PROMPT, listener);
		}
	}

	/** {@link Generator#generate}: every image is well-formed whatever the weights, with and without guidance. */
	@Test
	void testImagesWellFormedForManySeeds() {
		int images = 0;
		for (int seed = 0; seed < 60; seed++) {
			for (final double cfg : new double[] { 1, 3 }) {
				final GenerationResult result = run(model(seed), SAMPLING.withSeed(seed).withCfg(cfg), TokenListener.NONE);
				final int[] checked = GenerationFixtures.checkImages(result.tokens(), TINY, TINY_SIZES);
				images += checked[0];
				assertEquals(checked[1] == 1, result.imageLeftOpen(), "seed " + seed);
				assertEquals(StopReason.MAX_TOKENS, result.stopReason());
			}
		}
		assertTrue(images > 100, "only " + images + " images");
	}

	/** {@link Generator#generate}: the same seed gives the same tokens, another seed others; greedy ignores it. */
	@Test
	void testSeeds() {
		final int[] a = run(model(1), SAMPLING.withSeed(5), TokenListener.NONE).tokens();
		assertArrayEquals(a, run(model(1), SAMPLING.withSeed(5), TokenListener.NONE).tokens());
		assertFalse(Arrays.equals(a, run(model(1), SAMPLING.withSeed(6), TokenListener.NONE).tokens()));
		final GenerationParams greedy = SAMPLING.withTemperature(0);
		assertArrayEquals(run(model(1), greedy.withSeed(1), TokenListener.NONE).tokens(), run(model(1), greedy.withSeed(
			2), TokenListener.NONE).tokens());
	}

	/** {@link Generator#generate}: cfg 1 never opens an unconditional session. */
	@Test
	void testNoGuidanceNoUnconditional() {
		for (int seed = 0; seed < 10; seed++) {
			final ScriptedDecoderModel model = model(seed);
			final GenerationResult result = run(model, SAMPLING.withSeed(seed), TokenListener.NONE);
			assertTrue(GenerationFixtures.checkImages(result.tokens(), TINY, TINY_SIZES)[0] > 0);
			assertEquals(1, model.sessions().size());
			assertEquals(0, result.unconditionalForwards());
		}
	}

	/**
	 * {@link Generator#generate}: cfg ≠ 1 opens one unconditional session per image, prefilled with
	 * [start, H, W] at position 0, fed every later token of the image, closed at its end.
	 */
	@Test
	void testOneUnconditionalSessionPerImage() {
		for (int seed = 0; seed < 20; seed++) {
			final ScriptedDecoderModel model = model(seed);
			final GenerationResult result;
			final List<Boolean> closedAfterRun = new ArrayList<>();
			try (Generator generator = new Generator(model, TINY, TINY_SIZES, SAMPLING.withSeed(seed).withCfg(3))) {
				result = generator.generate(PROMPT, TokenListener.NONE);
				for (final ScriptedDecoderModel.Session s : model.sessions()) closedAfterRun.add(s.closed);
			}
			final int[] tokens = result.tokens();
			int session = 1, forwards = 0;
			for (int i = 0; i < tokens.length; i++) {
				if (tokens[i] != TINY.imageStart() || i + 3 >= tokens.length) continue;
				final ScriptedDecoderModel.Session s = model.sessions().get(session++);
				assertArrayEquals(Arrays.copyOfRange(tokens, i, i + 3), s.appends.get(0), "seed " + seed);
				assertEquals(0, s.positions.get(0));
				int end = i + 3;
				while (end < tokens.length && tokens[end] != TINY.imageEnd()) end++;
				final boolean complete = end < tokens.length;
				final int fedEnd = complete ? end : tokens.length - 1; // the last sampled token is never fed
				assertArrayEquals(Arrays.copyOfRange(tokens, i, fedEnd), s.history(), "seed " + seed + " image at " + i);
				for (int a = 1; a < s.appends.size(); a++) assertEquals(1, s.appends.get(a).length);
				assertEquals(complete, closedAfterRun.get(session - 1));
				assertTrue(s.closed);
				assertFalse(s.usedAfterClose);
				forwards += s.appends.size();
			}
			assertEquals(model.sessions().size(), session, "seed " + seed);
			assertEquals(forwards, result.unconditionalForwards());
		}
	}

	/** {@link Generator#generate}: the separator stops generation and is stripped. */
	@Test
	void testStopToken() {
		final ScriptedDecoderModel model = new ScriptedDecoderModel(TINY_VOCAB, (history, out) -> {
			Arrays.fill(out, 0);
			out[history.length >= PROMPT.length + 3 ? TINY.separator() : 40] = 10;
		});
		final List<Integer> seen = new ArrayList<>();
		final GenerationResult result = run(model, SAMPLING.withTemperature(0), new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				seen.add(token);
			}
		});
		assertArrayEquals(new int[] { 40, 40, 40 }, result.tokens());
		assertEquals(List.of(40, 40, 40), seen);
		assertEquals(StopReason.STOP_TOKEN, result.stopReason());
		assertEquals(4, result.conditionalForwards());
		assertFalse(result.imageLeftOpen());
	}

	/** {@link Generator#generate}: maxNewTokens is the hard limit; the last token costs no forward. */
	@Test
	void testMaxNewTokens() {
		final ScriptedDecoderModel model = model(3);
		final GenerationResult result = run(model, SAMPLING.withMaxNewTokens(25), TokenListener.NONE);
		assertEquals(25, result.tokens().length);
		assertEquals(StopReason.MAX_TOKENS, result.stopReason());
		assertEquals(25, result.conditionalForwards());
		assertEquals(PROMPT.length + 24, model.sessions().get(0).numPositions());
	}

	/** {@link Generator#generate}: an image cut by maxNewTokens is flagged; one that fits is not. */
	@Test
	void testImageLeftOpen() {
		final GenerationParams forced = SAMPLING.withForcedImageSize(new ImageSize(64, 64)); // 4 + 4 * 5 tokens
		assertTrue(run(model(4), forced.withMaxNewTokens(10), TokenListener.NONE).imageLeftOpen());
		final GenerationResult fits = run(model(4), forced.withMaxNewTokens(24), TokenListener.NONE);
		assertFalse(fits.imageLeftOpen());
		assertEquals(TINY.imageEnd(), fits.tokens()[23]);
	}

	/** {@link Generator#generate}: a forced size gives [start, H, W] and an image of that size. */
	@Test
	void testForcedSize() {
		for (int seed = 0; seed < 20; seed++) {
			final GenerationResult result = run(model(seed), SAMPLING.withSeed(seed).withForcedImageSize(new ImageSize(96,
				32)), TokenListener.NONE);
			final int[] tokens = result.tokens();
			assertArrayEquals(new int[] { TINY.imageStart(), TINY.sizeToken(32), TINY.sizeToken(96) }, Arrays.copyOf(
				tokens, 3));
			assertEquals(TINY.imageEnd(), tokens[3 + 2 * 7]);
			assertTrue(GenerationFixtures.checkImages(tokens, TINY, TINY_SIZES)[0] >= 1);
		}
	}

	/** {@link Generator#generate}: the listener gets every token, each finished row and progress. */
	@Test
	void testListener() {
		final List<String> rows = new ArrayList<>();
		final List<Integer> indices = new ArrayList<>();
		final AtomicInteger progress = new AtomicInteger();
		final TokenListener listener = new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				indices.add(index);
			}

			@Override
			public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
				rows.add(imageIndex + ":" + row + "/" + rowsTotal);
			}

			@Override
			public void onProgress(final int generated, final int total) {
				assertEquals(progress.incrementAndGet(), generated);
				assertEquals(14, total);
			}
		};
		final GenerationResult result = run(model(5), SAMPLING.withForcedImageSize(new ImageSize(64, 32))
			.withMaxNewTokens(14), listener); // 2 rows of 4 + eol
		assertEquals(List.of("0:0/2", "0:1/2"), rows);
		assertEquals(14, progress.get());
		assertEquals(14, indices.size());
		assertEquals(13, indices.get(13));
		assertEquals(14, result.tokens().length);
	}

	/** {@link Generator#generate}: cancellation stops within one step and closes both sessions. */
	@Test
	void testCancel() {
		final ScriptedDecoderModel model = model(6);
		final AtomicInteger seen = new AtomicInteger();
		final TokenListener counter = new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				seen.incrementAndGet();
			}
		};
		final Generator generator = new Generator(model, TINY, TINY_SIZES, SAMPLING.withCfg(3).withForcedImageSize(
			new ImageSize(64, 64)));
		assertThrows(CancellationException.class, () -> generator.generate(PROMPT, counter, () -> seen.get() >= 5));
		assertEquals(5, seen.get());
		assertEquals(2, model.sessions().size());
		for (final ScriptedDecoderModel.Session s : model.sessions()) {
			assertTrue(s.closed);
			assertFalse(s.usedAfterClose);
		}
		assertThrows(IllegalStateException.class, generator::nextToken);
		final ScriptedDecoderModel early = model(6);
		final Generator before = new Generator(early, TINY, TINY_SIZES, SAMPLING);
		assertThrows(CancellationException.class, () -> before.generate(PROMPT, TokenListener.NONE, () -> true));
		assertTrue(early.sessions().get(0).appends.isEmpty());
		assertTrue(early.sessions().get(0).closed);
	}

	/** {@link Generator#generate}: crossing max_positions warns once and does not cut. */
	@Test
	void testMaxPositionsAdvisory() {
		final List<String> warnings = new ArrayList<>();
		final GenerationResult result = run(model(7), SAMPLING.withMaxNewTokens(30).withMaxPositions(PROMPT.length + 5),
			new TokenListener() {

				@Override
				public void onWarning(final String message) {
					warnings.add(message);
				}
			});
		assertEquals(1, warnings.size());
		assertTrue(warnings.get(0).contains("max_positions (9)"), warnings.get(0));
		assertEquals(30, result.tokens().length);
	}

	/** The step API: prefill, steps, done; positions are consecutive; misuse says what to do. */
	@Test
	void testStepApi() {
		final ScriptedDecoderModel model = model(8);
		try (Generator generator = new Generator(model, TINY, TINY_SIZES, SAMPLING.withMaxNewTokens(12))) {
			final IllegalStateException early = assertThrows(IllegalStateException.class, generator::nextToken);
			assertTrue(early.getMessage().contains("appendTokens"), early.getMessage());
			assertThrows(IllegalStateException.class, generator::result);
			generator.appendTokens(PROMPT);
			final List<Integer> tokens = new ArrayList<>();
			while (!generator.isDone()) tokens.add(generator.nextToken());
			assertEquals(tokens, Arrays.stream(generator.tokens()).boxed().toList());
			assertThrows(IllegalStateException.class, generator::nextToken);
			assertThrows(IllegalStateException.class, () -> generator.generate(PROMPT, TokenListener.NONE));
			final ScriptedDecoderModel.Session s = model.sessions().get(0);
			int position = 0;
			for (int a = 0; a < s.appends.size(); a++) {
				assertEquals(position, s.positions.get(a));
				position += s.appends.get(a).length;
			}
			assertEquals(12, generator.result().tokens().length);
		}
	}

	/** {@link Generator#appendTokens}: a prompt ending in [start, H, W] opens the unconditional stream at once. */
	@Test
	void testPromptOpensImage() {
		final ScriptedDecoderModel model = model(9);
		final int[] prompt = { 0, 31, TINY.imageStart(), TINY.sizeToken(32), TINY.sizeToken(64) };
		try (Generator generator = new Generator(model, TINY, TINY_SIZES, SAMPLING.withCfg(2).withMaxNewTokens(11))) {
			final List<String> rows = new ArrayList<>();
			generator.appendTokens(prompt);
			assertEquals(2, model.sessions().size());
			assertArrayEquals(new int[] { TINY.imageStart(), TINY.sizeToken(32), TINY.sizeToken(64) }, model.sessions()
				.get(1).appends.get(0));
			while (!generator.isDone()) generator.nextToken(new TokenListener() {

				@Override
				public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
					rows.add(imageIndex + ":" + row);
				}
			});
			assertEquals(List.of("0:0", "0:1"), rows);
			assertEquals(TINY.imageEnd(), generator.tokens()[10]);
		}
	}

	/** {@link Generator#Generator} and {@link Generator#appendTokens}: invalid input is refused up front. */
	@Test
	void testValidation() {
		final IllegalArgumentException notCandidate = assertThrows(IllegalArgumentException.class, () -> new Generator(
			model(0), TINY, TINY_SIZES, SAMPLING.withForcedImageSize(new ImageSize(128, 128))));
		assertTrue(notCandidate.getMessage().contains("forcedImageSize"), notCandidate.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new Generator(model(0), TINY, List.of(new ImageSize(32, 1024)),
			SAMPLING));
		final ScriptedDecoderModel model = model(0);
		try (Generator generator = new Generator(model, TINY, TINY_SIZES, SAMPLING)) {
			assertThrows(IllegalArgumentException.class, () -> generator.appendTokens(new int[] { 0, TINY.imageEnd() }));
			assertThrows(IllegalArgumentException.class, () -> generator.appendTokens(new int[0]));
			assertTrue(model.sessions().get(0).appends.isEmpty());
		}
		assertTrue(model.sessions().get(0).closed);
	}
}
