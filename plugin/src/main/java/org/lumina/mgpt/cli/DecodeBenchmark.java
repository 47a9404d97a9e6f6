package org.lumina.mgpt.cli;

import java.util.Comparator;

import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.Generator;
import org.lumina.mgpt.runtime.GuidanceBatching;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * Measures decoding on a model through the engine's {@link Generator} step API: a fixed
 * {@value #PROMPT_TOKENS}-token prompt (as the torch baseline's), then N single-token steps
 * inside a forced image, so the stop token cannot end the run early and every step is a real
 * decoder forward plus the logits processors and the sampler (seeded, image_to_image settings,
 * guidance off: one stream, as the torch baseline; or guidance on, to compare
 * {@link GuidanceBatching}s). Not thread-safe: one benchmark at a time per model, since it reads
 * the model's decoder run-time counter.
 */
final class DecodeBenchmark {

	/** Prompt length, equal to the torch baseline's default {@code --prompt-tokens}. */
	static final int PROMPT_TOKENS = 64;

	/** Rounds of {@link #compareGuidance}, half of them each way. */
	static final int GUIDANCE_ROUNDS = 4;

	private static final String TEXT = "Generate an image of 512x512 according to the following prompt:\n" +
		"Fluorescent cells under a microscope, nuclei in blue and membranes in green, on a dark background. ";

	/**
	 * One measurement.
	 *
	 * @param promptTokens prompt length
	 * @param steps timed decode steps
	 * @param prefillMs the prompt's prefill time
	 * @param seconds wall-clock time of the timed steps
	 * @param ortNanos time inside ONNX Runtime's decoder {@code run} during those steps
	 */
	record Measurement(int promptTokens, int steps, double prefillMs, double seconds, long ortNanos) {

		double msPerStep() {
			return 1000 * seconds / steps;
		}

		double tokensPerSecond() {
			return steps / seconds;
		}

		/** @return the share of the wall time spent outside ONNX Runtime's run: the engine's overhead */
		double overheadFraction() {
			return Math.max(0, 1 - ortNanos / (seconds * 1e9));
		}
	}

	private final Model model;
	private final int[] prompt;

	DecodeBenchmark(final Model model) {
		this.model = model;
		this.prompt = prompt(model);
	}

	/**
	 * Unbatched against batched guidance, measured in {@value #GUIDANCE_ROUNDS} rounds of
	 * {@code steps} steps each, in the order unbatched, batched, batched, unbatched, …, so that a
	 * load on the machine that drifts during the run weighs alike on both.
	 *
	 * @param cfg the guidance scale, not 1
	 * @return {@code [unbatched, batched]}, each over {@code GUIDANCE_ROUNDS / 2 * steps} steps
	 */
	Measurement[] compareGuidance(final int steps, final double cfg) {
		final GuidanceBatching[] order = { GuidanceBatching.UNBATCHED, GuidanceBatching.BATCHED };
		final Measurement[] sums = new Measurement[2];
		for (int round = 0; round < GUIDANCE_ROUNDS; round++) {
			final int which = (round + round / 2) % 2; // 0 1 1 0 0 1 1 0 …
			sums[which] = plus(sums[which], measure(steps, cfg, order[which]));
		}
		return sums;
	}

	/**
	 * What dropping the unconditional row costs when an image ends, at a context of
	 * {@code positions} tokens: slicing the conditional row out of the batched cache (what the
	 * engine does) against re-running the conditional sequence's prefill in a fresh session.
	 *
	 * @return {@code [sliceMs, restartMs]}
	 */
	double[] rowDropMs(final int positions) {
		final int[] context = new int[positions];
		for (int i = 0; i < positions; i++) context[i] = prompt[i % prompt.length];
		final float[] conditional = new float[model.decoder().vocabSize()];
		final float[] unconditional = new float[conditional.length];
		try (GuidedDecoderSession session = model.decoder().openGuidedSession();
			DecoderSession restarted = model.decoder().openSession())
		{
			session.append(context, conditional);
			session.appendBoth(new int[] { prompt[0] }, new int[] { prompt[0] }, conditional, unconditional);
			final long t0 = System.nanoTime();
			session.dropUnconditional();
			final long t1 = System.nanoTime();
			restarted.append(context, conditional);
			final long t2 = System.nanoTime();
			return new double[] { (t1 - t0) / 1e6, (t2 - t1) / 1e6 };
		}
	}

	/** Runs {@code steps} timed steps without guidance (chaining fresh generators if the image ends first). */
	Measurement measure(final int steps) {
		return measure(steps, 1.0, GuidanceBatching.BATCHED);
	}

	private Measurement measure(final int steps, final double cfg, final GuidanceBatching batching) {
		if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
		final GenerationParams params = params(steps).withCfg(cfg);
		int measured = 0;
		long wall = 0;
		long ort = 0;
		double prefillMs = -1;
		while (measured < steps) {
			try (Generator generator = new Generator(model.decoder(), model.manifest().tokens(),
				model.candidateSizes().sizes(), params, batching))
			{
				final long start = System.nanoTime();
				generator.appendTokens(prompt);
				if (prefillMs < 0) prefillMs = (System.nanoTime() - start) / 1e6;
				generator.nextToken(); // NB: untimed, it samples the prefill's logits without a forward
				while (measured < steps && !generator.isDone()) {
					final long ort0 = model.decoderRunNanos();
					final long t0 = System.nanoTime();
					generator.nextToken();
					wall += System.nanoTime() - t0;
					ort += model.decoderRunNanos() - ort0;
					measured++;
				}
			}
		}
		return new Measurement(prompt.length, steps, prefillMs, wall / 1e9, ort);
	}

	private static Measurement plus(final Measurement sum, final Measurement m) {
		if (sum == null) return m;
		return new Measurement(m.promptTokens(), sum.steps() + m.steps(), sum.prefillMs(), sum.seconds() + m.seconds(),
			sum.ortNanos() + m.ortNanos());
	}

	private GenerationParams params(final int steps) {
		final ImageSize size = model.candidateSizes().sizes().stream().filter(s -> UniRep.tokenCount(s) > steps)
			.min(Comparator.comparingInt(UniRep::tokenCount)).orElse(CandidateHints.mostTokens(model.candidateSizes()));
		return GenerationParams.defaults()
			.withImageTopK(model.manifest().sampling(TaskFamily.IMAGE_TO_IMAGE).imageTopK()).withTemperature(1.0)
			.withSeed(1).withForcedImageSize(size).withMaxNewTokens(steps + 1);
	}

	private static int[] prompt(final Model model) {
		final int[] text = model.tokenizer().encode(TEXT.repeat(4));
		final int[] ids = new int[PROMPT_TOKENS];
		ids[0] = model.manifest().tokens().bos();
		for (int i = 1; i < PROMPT_TOKENS; i++) ids[i] = text[(i - 1) % text.length];
		return ids;
	}
}
