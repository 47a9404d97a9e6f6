package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY_SIZES;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY_VOCAB;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link SpeculativeJacobi} through {@link Generator} on scripted decoders: greedy decoding
 * gives plain greedy decoding's tokens and events, and sampling keeps plain sampling's
 * distribution, checked against the exact per-position marginals of a Markov chain.
 */
class SpeculativeJacobiTest {

	private static final int[] PROMPT = GeneratorTest.PROMPT;
	private static final ImageSize SIZE = new ImageSize(64, 64); // 4 rows of 4 image tokens + end-of-line
	private static final int COLUMNS = 4, ROWS = 4, BODY = ROWS * (COLUMNS + 1);
	private static final int[] CHAIN = { 4, 5, 6, 7 }; // the image tokens the Markov chain uses

	/** Conditional logits: the start row (no image token yet), then one row per previous chain token. */
	private static final double[] START = { 1.0, 0.0, -0.5, 0.3 };
	private static final double[][] NEXT = { { -1, 2.5, 0, 0.2 }, { 0.4, -1, 2.5, 0 }, { 0, 0.3, -1, 2.5 },
		{ 2.5, 0, 0.6, -1 } };
	/** Unconditional logits (the sequence that starts at the image start), same layout. */
	private static final double[] UNCONDITIONAL_START = { 0, 0.5, 0, -0.5 };
	private static final double[][] UNCONDITIONAL_NEXT = { { 1.5, -1, 0.5, 0 }, { 0, 1.5, -1, 0.5 }, { 0.3, 0, 1.5, -1 },
		{ -1, 0, 0.3, 1.5 } };

	/**
	 * NB: the per-position chi-square statistics (3 degrees of freedom) are compared with the
	 * quantile for 1e-6 / 16 (Bonferroni over the 16 image-token positions of the body):
	 * {@code scipy.stats.chi2.isf(6.25e-8, 3)}. A correct sampler fails with probability below
	 * 1e-6 (asymptotically; the smallest expected count here is above 40). With 10,000 samples the
	 * test fails for a sampler that redraws a rejected position from p instead of the residual
	 * (chi-square 90 at the worst position); accepting every draft fails it at once (tokens outside
	 * the chain). Drafts accepted past the first position are rare in the guided setting, so the
	 * alignment of each position's logits (guidance rows, drafted state) is covered by the greedy
	 * test, which fails when it is wrong.
	 */
	private static final double CHI_SQUARE_LIMIT = 36.37;
	private static final int SAMPLES = 10000;

	/** {@link Generator#generate} with a window: greedy gives plain greedy's tokens and listener events, in fewer calls. */
	@Test
	void testGreedyGivesPlainGreedyTokens() {
		for (int seed = 0; seed < 10; seed++) {
			for (final double cfg : new double[] { 1, 3 }) {
				for (final int window : new int[] { 1, 3, 16 }) {
					final GenerationParams greedy = GeneratorTest.SAMPLING.withTemperature(0).withCfg(cfg).withMaxNewTokens(120);
					final List<String> plainEvents = new ArrayList<>(), jacobiEvents = new ArrayList<>();
					final GenerationResult plain = GeneratorTest.run(GeneratorTest.model(seed), greedy, recorder(plainEvents));
					final GenerationResult jacobi = GeneratorTest.run(GeneratorTest.model(seed), greedy.withJacobiWindow(window),
						recorder(jacobiEvents));
					final String what = "seed " + seed + " cfg " + cfg + " window " + window;
					assertArrayEquals(plain.tokens(), jacobi.tokens(), what);
					assertEquals(plainEvents, jacobiEvents, what);
					assertEquals(plain.imageTokens(), jacobi.imageTokens(), what);
					assertEquals(plain.imageTokens(), plain.imageDecoderCalls(), what);
					assertTrue(plain.imageTokens() > 20, what);
					assertTrue(jacobi.imageDecoderCalls() < jacobi.imageTokens(), what + ": " + jacobi);
				}
			}
		}
	}

	/** The exact marginals against plain sampling: checks the test itself. */
	@Test
	void testPlainSamplingMatchesMarkovMarginals() {
		checkMarginals(GenerationParams.defaults().withImageTopK(TINY_VOCAB), 0);
		checkMarginals(GenerationParams.defaults().withCfg(2).withImageTopK(3).withTemperature(3), 0);
	}

	/**
	 * {@link SpeculativeJacobi}: the sampled distribution is plain sampling's, with and without
	 * guidance, top-k and temperature; the window saves calls beyond the forced end-of-lines
	 * (which alone would give 0.8).
	 */
	@Test
	void testJacobiSamplingMatchesMarkovMarginals() {
		assertTrue(checkMarginals(GenerationParams.defaults().withImageTopK(TINY_VOCAB), 4) < 0.7);
		assertTrue(checkMarginals(GenerationParams.defaults().withCfg(2).withImageTopK(3).withTemperature(3), 6) < 0.7);
	}

	/** @return the decoder calls per image token over all samples */
	private static double checkMarginals(final GenerationParams settings, final int window) {
		final ScriptedDecoderModel model = new ScriptedDecoderModel(TINY_VOCAB, SpeculativeJacobiTest::markov);
		final GenerationParams params = settings.withForcedImageSize(SIZE).withMaxNewTokens(3 + BODY + 1)
			.withJacobiWindow(window);
		final long[][] counts = new long[BODY][CHAIN.length];
		long calls = 0, tokens = 0;
		for (int seed = 0; seed < SAMPLES; seed++) {
			final GenerationResult result;
			try (Generator generator = new Generator(model, TINY, TINY_SIZES, params.withSeed(seed))) {
				result = generator.generate(PROMPT, TokenListener.NONE);
			}
			model.sessions().clear();
			calls += result.imageDecoderCalls();
			tokens += result.imageTokens();
			for (int n = 0; n < BODY; n++) {
				final int token = result.tokens()[3 + n];
				if ((n + 1) % (COLUMNS + 1) == 0) {
					assertEquals(TINY.endOfLine(), token);
					continue;
				}
				final int bin = Arrays.binarySearch(CHAIN, token);
				assertTrue(bin >= 0, "token " + token + " outside the chain at body position " + n + ", seed " + seed +
					" (probability below 1e-15 if the sampler is right)");
				counts[n][bin]++;
			}
		}
		final double[][] expected = exactMarginals(params);
		for (int n = 0; n < BODY; n++) {
			if ((n + 1) % (COLUMNS + 1) == 0) continue;
			double chiSquare = 0;
			for (int b = 0; b < CHAIN.length; b++) {
				final double e = expected[n][b] * SAMPLES;
				if (e == 0) assertEquals(0, counts[n][b], "an excluded token was drawn at body position " + n);
				else chiSquare += (counts[n][b] - e) * (counts[n][b] - e) / e;
			}
			assertTrue(chiSquare < CHI_SQUARE_LIMIT, "window " + window + ", body position " + n + ": chi-square " +
				chiSquare + " >= " + CHI_SQUARE_LIMIT + ", counts " + Arrays.toString(counts[n]) + ", expected " + Arrays
					.toString(expected[n]));
		}
		return calls / (double) tokens;
	}

	/**
	 * Logits of a Markov chain over {@link #CHAIN}: the row of the last chain token in the history
	 * (end-of-lines and everything else skipped), or the start row; an unconditional sequence (it
	 * starts with the image start token) has its own rows. Other tokens get -50 (e^-50: never drawn).
	 */
	private static void markov(final int[] history, final float[] out) {
		final boolean unconditional = history[0] == TINY.imageStart();
		int previous = -1;
		for (int i = history.length - 1; i >= 0 && previous < 0; i--) previous = Arrays.binarySearch(CHAIN, history[i]);
		final double[] row = previous < 0 ? (unconditional ? UNCONDITIONAL_START : START)
			: (unconditional ? UNCONDITIONAL_NEXT : NEXT)[previous];
		Arrays.fill(out, -50);
		for (int b = 0; b < CHAIN.length; b++) out[CHAIN[b]] = (float) row[b];
	}

	/** The per-position marginals of the chain under {@code params}, computed independently of the runtime. */
	private static double[][] exactMarginals(final GenerationParams params) {
		final double[][] marginals = new double[BODY][];
		double[] current = transition(START, UNCONDITIONAL_START, params);
		for (int n = 0; n < BODY; n++) {
			if ((n + 1) % (COLUMNS + 1) == 0) {
				marginals[n] = marginals[n - 1]; // an end-of-line keeps the previous chain token
				continue;
			}
			marginals[n] = current;
			final double[] next = new double[CHAIN.length];
			for (int a = 0; a < CHAIN.length; a++) {
				final double[] t = transition(NEXT[a], UNCONDITIONAL_NEXT[a], params);
				for (int b = 0; b < CHAIN.length; b++) next[b] += current[a] * t[b];
			}
			current = next;
		}
		// NB: marginals at end-of-line positions above are placeholders, never compared
		return marginals;
	}

	/** Guidance, top-k (ties kept), temperature, softmax: the documented pipeline, on one row. */
	private static double[] transition(final double[] conditional, final double[] unconditional,
		final GenerationParams params)
	{
		final double[] logits = new double[CHAIN.length];
		for (int b = 0; b < logits.length; b++) {
			logits[b] = params.guidance() ? params.cfg() * (conditional[b] - unconditional[b]) + unconditional[b]
				: conditional[b];
		}
		final double[] sorted = logits.clone();
		Arrays.sort(sorted);
		final double threshold = params.imageTopK() >= CHAIN.length ? Double.NEGATIVE_INFINITY
			: sorted[CHAIN.length - params.imageTopK()];
		final double[] p = new double[logits.length];
		double sum = 0;
		for (int b = 0; b < logits.length; b++) {
			p[b] = logits[b] < threshold ? 0 : Math.exp(logits[b] / params.temperature());
			sum += p[b];
		}
		for (int b = 0; b < p.length; b++) p[b] /= sum;
		return p;
	}

	private static TokenListener recorder(final List<String> events) {
		return new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				events.add("token " + token + " @" + index);
			}

			@Override
			public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
				events.add("row " + imageIndex + ":" + row + "/" + rowsTotal);
			}

			@Override
			public void onProgress(final int generated, final int total) {
				events.add("progress " + generated + "/" + total);
			}
		};
	}
}
