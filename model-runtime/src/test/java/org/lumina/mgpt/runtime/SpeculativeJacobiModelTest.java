package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * {@link SpeculativeJacobi} on the committed tiny bundle with the real ONNX graph, guidance batched
 * (so the decoder's multi-position logits and the rewinding of both rows take part): per-position
 * token histograms of speculative and plain sampling over many seeds agree (two-sample
 * chi-square), and greedy decoding gives plain greedy decoding's tokens. {@code -Dlumina.sjd.bundle=DIR}
 * runs the same checks on another bundle, e.g. the trained synthetic one, whose peaked
 * distributions accept drafts far more often than the tiny bundle's random ones.
 */
class SpeculativeJacobiModelTest {

	private static final ImageSize SIZE = new ImageSize(64, 32); // 2 rows of 4 image tokens + end-of-line
	private static final int BODY = 2 * 5;
	private static final GenerationParams GUIDED = GenerationParams.defaults().withCfg(3).withImageTopK(3)
		.withForcedImageSize(SIZE).withMaxNewTokens(3 + BODY + 1);
	private static final int SAMPLES = 500;
	/** Tokens pooled into one bin when both samples together drew them fewer times than this. */
	private static final int MIN_BIN = 15;
	/**
	 * The standard normal quantile of 1 - 1e-6 / 16: a Bonferroni share of a 1e-6 false-failure
	 * probability for each of at most 16 compared positions ({@code NormalDist().inv_cdf}).
	 */
	private static final double Z = 5.286;

	private static Model model;
	private static TokenIds ids;
	private static int[] prompt;

	@BeforeAll
	static void open() {
		final String other = System.getProperty("lumina.sjd.bundle"); // e.g. the trained synthetic bundle
		model = Model.open(other != null ? Path.of(other) : TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1));
		ids = model.manifest().tokens();
		prompt = TestBundles.textPrompt(model);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** Greedy with a window: plain greedy's tokens, in fewer decoder calls. */
	@Test
	void greedyGivesPlainGreedyTokens() {
		final GenerationParams greedy = GUIDED.withTemperature(0).withForcedImageSize(new ImageSize(64, 64))
			.withMaxNewTokens(3 + 4 * 5 + 1);
		final GenerationResult plain = generate(greedy);
		final GenerationResult jacobi = generate(greedy.withJacobiWindow(GenerationParams.DEFAULT_JACOBI_WINDOW));
		assertArrayEquals(plain.tokens(), jacobi.tokens());
		assertTrue(jacobi.imageDecoderCalls() < plain.imageDecoderCalls(), jacobi + " vs " + plain);
	}

	/**
	 * Sampling with a window against plain sampling, disjoint seeds: at every image-token position
	 * of the body the chi-square homogeneity statistic stays below a conservative (Wilson-Hilferty)
	 * quantile; the test fails for a correct sampler with probability below 1e-6. Accepting every
	 * draft fails it (chi-square 1,372 against a limit of 51 at the first drafted position, with 700 samples).
	 */
	@Test
	void samplingKeepsPlainHistograms() {
		final List<Map<Integer, int[]>> counts = new ArrayList<>();
		for (int n = 0; n < BODY; n++) counts.add(new HashMap<>());
		for (int i = 0; i < SAMPLES; i++) {
			count(generate(GUIDED.withSeed(i)).tokens(), counts, 0);
			count(generate(GUIDED.withSeed(1_000_000 + i).withJacobiWindow(4)).tokens(), counts, 1);
		}
		for (int n = 0; n < BODY; n++) {
			if ((n + 1) % 5 == 0) continue; // end-of-line, forced
			final double[] statistic = chiSquare(counts.get(n));
			final double df = statistic[1];
			final double limit = df * Math.pow(1 - 2 / (9 * df) + Z * Math.sqrt(2 / (9 * df)), 3);
			assertTrue(statistic[0] < limit, "body position " + n + ": chi-square " + statistic[0] + " with " + df +
				" degrees of freedom >= " + limit);
		}
	}

	private static GenerationResult generate(final GenerationParams params) {
		try (Generator generator = new Generator(model.decoder(), ids, List.of(SIZE, new ImageSize(64, 64)), params)) {
			return generator.generate(prompt, TokenListener.NONE);
		}
	}

	private static void count(final int[] tokens, final List<Map<Integer, int[]>> counts, final int sample) {
		for (int n = 0; n < BODY; n++) counts.get(n).computeIfAbsent(tokens[3 + n], t -> new int[2])[sample]++;
	}

	/** @return {@code [statistic, degrees of freedom]} of a 2 x bins homogeneity test, rare tokens pooled */
	private static double[] chiSquare(final Map<Integer, int[]> counts) {
		final List<int[]> bins = new ArrayList<>();
		final int[] pooled = new int[2];
		for (final int[] c : counts.values()) {
			if (c[0] + c[1] >= MIN_BIN) bins.add(c);
			else {
				pooled[0] += c[0];
				pooled[1] += c[1];
			}
		}
		if (pooled[0] + pooled[1] > 0) bins.add(pooled);
		double statistic = 0;
		for (final int[] c : bins) {
			final double expected = (c[0] + c[1]) / 2.0; // both samples hold SAMPLES draws
			statistic += (c[0] - expected) * (c[0] - expected) / expected + (c[1] - expected) * (c[1] - expected) / expected;
		}
		return new double[] { statistic, Math.max(1, bins.size() - 1) };
	}
}
