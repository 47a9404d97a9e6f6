package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina bench}: decoding speed, engine overhead, and torch side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Measures decoding speed and engine overhead, with torch side by side.", "",
		"Measures decoding: a 64-token prompt, then --steps single-token steps (seeded sampling inside " +
		"a forced image, so the run is never cut short). Reports ms per step, tokens/s and overhead_fraction, the " +
		"share of the time spent outside ONNX Runtime's decoder run. Then the same steps with classifier-free " +
		"guidance (cfg " + BenchCommand.GUIDANCE_CFG + "), unbatched and batched, in two rounds each (order ABBA): " +
		"ms per image token for both and cfg_batched_speedup, their ratio; and what dropping the unconditional row " +
		"costs when an image ends (slice, as the engine does, vs re-running the prefill). Speculative Jacobi decoding " +
		"against plain decoding on a text-to-image prompt at the bundle's text-to-image sampling settings, same seeds: " +
		"sjd_steps_per_token (decoder calls per image token, plain = 1.0) and sjd_speedup (plain / speculative time " +
		"per image token), on the trained model: the bundle of model-runtime/models/synthetic/ trained for text to " +
		"image when there is one, else " +
		"the committed training checkpoints exported once into .lumina-cache/synthetic-<digest>/ (needs Python with " +
		"torch), else the --model bundle (sjd_model names it). When /usr/bin/python3 has torch, the " +
		"exporter's torch implementation runs the same weights with the same threads (OpenBLAS when installed).",
		"Without --model: the standard workload, a random model of hidden size 512 and 8 layers, exported once " +
			"into .lumina-cache/bench-h512-l8/ (needs Python with torch)." })
final class BenchCommand implements Callable<Integer> {

	/** Guidance scale of the CFG measurements (the text-to-image default); any value other than 1 costs the same. */
	static final double GUIDANCE_CFG = 4.0;

	@Spec
	private CommandSpec spec;

	/**
	 * Untimed steps before the single-stream measurement, so that {@code overhead_fraction} is the
	 * steady state of a long generation (an image is hundreds to thousands of steps), not the JIT's
	 * warm-up: measured on the standard workload, the engine's time outside ONNX Runtime's run fell
	 * from 1.06 ms a step over the first 128 steps to 0.29-0.46 ms over the next ones.
	 */
	private static final int WARM_UP_STEPS = 128;

	@Option(names = "--model", paramLabel = "DIR", description = "Model bundle (default: the standard workload).")
	Path model;

	/*
	 * 512 by default: a 256x256 image is 272 image tokens, a 512x512 one 1,056. Over 128 timed steps the
	 * JIT still compiles now and then (a step it delays costs 2-6 ms), and the overhead_fraction of the
	 * standard workload read 0.026-0.037; over 512 steps, 0.017-0.019 (docs/benchmarks.md).
	 */
	@Option(names = "--steps", paramLabel = "N", defaultValue = "512", description = "Timed steps (default: ${DEFAULT-VALUE}).")
	int steps;

	@Option(names = "--soak", paramLabel = "N", defaultValue = "0",
		description = "Also run N generations in this JVM, each leasing the loaded model as a command does, and " +
			"report resident memory and live native objects after 10 % and 100 % of them (equal: no leak).")
	int soak;

	@Option(names = "--json", description = "Print the report as one JSON object on the last stdout line.")
	boolean json;

	@Option(names = "--no-int4", description = "Skip the 4-bit vs float32 comparison (standard workload and its " +
		"4-bit twin, exported once; needs Python with torch).")
	boolean noInt4;

	@Option(names = "--no-kv", description = "Skip the KV-cache layouts' comparison (standard workload and its " +
		"shared_buffer twin, exported once; needs Python with torch).")
	boolean noKv;

	@Option(names = "--kv-steps", paramLabel = "N", defaultValue = "448", description = "Timed steps of the KV-cache " +
		"comparison, after the 64-token prompt, so that the cache grows to 64 + N positions (default: ${DEFAULT-VALUE}).")
	int kvSteps;

	@Option(names = "--no-torch", description = "Skip the torch baseline.")
	boolean noTorch;

	@Option(names = "--jacobi-window", paramLabel = "N", defaultValue = "" + GenerationParams.DEFAULT_JACOBI_WINDOW,
		description = "Draft tokens per call of the speculative side (default: ${DEFAULT-VALUE}).")
	int jacobiWindow;

	@Option(names = "--sjd-tokens", paramLabel = "N", defaultValue = "256",
		description = "Image tokens generated each way for the speculative comparison (default: ${DEFAULT-VALUE}).")
	int sjdTokens;

	@Option(names = "--no-sjd", description = "Skip the speculative Jacobi decoding comparison.")
	boolean noSjd;

	@Mixin
	CommonOptions common;

	@ParentCommand
	private LuminaCli parent;

	@Override
	public Integer call() throws Exception {
		if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
		if (soak < 0) throw new IllegalArgumentException("--soak must be >= 0, got " + soak);
		if (kvSteps < 1) throw new IllegalArgumentException("--kv-steps must be >= 1, got " + kvSteps);
		if (jacobiWindow < 1) throw new IllegalArgumentException("--jacobi-window must be >= 1, got " + jacobiWindow);
		if (sjdTokens < 1) throw new IllegalArgumentException("--sjd-tokens must be >= 1, got " + sjdTokens);
		final PrintWriter err = spec.commandLine().getErr();
		final LuminaHome home = LuminaHome.current();
		final Path bundle = model != null ? model : BenchModels.standard(home, err);
		final Map<String, Object> report = new LinkedHashMap<>();
		try (LoadedModels.Lease lease = common.openModel(parent, bundle, err)) {
			final Model opened = lease.model();
			final DecodeBenchmark benchmark = new DecodeBenchmark(opened);
			benchmark.measure(WARM_UP_STEPS); // NB: JIT and ONNX Runtime's first-run allocations, see WARM_UP_STEPS
			final DecodeBenchmark.Measurement m = benchmark.measure(steps);
			report.put("model", opened.manifest().name());
			report.put("model_dir", opened.manifest().directory().toString());
			report.put("provider", opened.providerReport());
			report.put("threads", common.effectiveThreads());
			report.put("prompt_tokens", m.promptTokens());
			report.put("steps", m.steps());
			report.put("prefill_ms", m.prefillMs());
			report.put("ms_per_step", m.msPerStep());
			report.put("tokens_per_s", m.tokensPerSecond());
			report.put("overhead_fraction", m.overheadFraction());
			putGuidance(report, benchmark);
			if (soak > 0) {
				report.putAll(SoakRun.run(parent.models(), bundle, common.modelOptions(), soak, steps, err, common.quiet));
			}
		}
		if (!noSjd) putJacobi(report, home, bundle, err);
		if (!noInt4) putInt4(report, home, err);
		if (!noKv) putKvLayouts(report, home, err);
		if (!noTorch) {
			report.putAll(TorchBaseline.run(home, bundle, steps, common.effectiveThreads()));
			if (report.get("torch_tokens_per_s") instanceof Double torch && torch > 0) {
				report.put("ort_vs_torch_speedup", (double) report.get("tokens_per_s") / torch);
			}
		}
		print(report, spec.commandLine().getOut());
		return 0;
	}

	/**
	 * The standard workload against its 4-bit twin (same weights, quantized), whatever {@code
	 * --model} is: alternating rounds (float32, 4-bit, 4-bit, float32) so that load drift hits both.
	 */
	private void putInt4(final Map<String, Object> report, final LuminaHome home, final PrintWriter err)
		throws IOException
	{
		try (LoadedModels.Lease fp32 = common.openModel(parent, BenchModels.standard(home, err), err);
			LoadedModels.Lease int4 = common.openModel(parent, BenchModels.standardInt4(home, err), err))
		{
			final double[] seconds = alternate(fp32.model(), int4.model(), steps);
			report.put("int4_model", int4.model().manifest().name());
			report.put("fp32_ms_per_step", 500 * seconds[0] / steps);
			report.put("int4_ms_per_step", 500 * seconds[1] / steps);
			report.put("int4_vs_fp32_speedup", seconds[0] / seconds[1]);
		}
	}

	/**
	 * The standard workload's {@code concat} KV layout against its {@code shared_buffer} twin (same
	 * weights), whatever {@code --model} is, over {@code --kv-steps} steps so that the cache grows
	 * long enough for the concat layout's per-step copy to show.
	 */
	private void putKvLayouts(final Map<String, Object> report, final LuminaHome home, final PrintWriter err)
		throws IOException
	{
		try (LoadedModels.Lease concat = common.openModel(parent, BenchModels.standard(home, err), err);
			LoadedModels.Lease shared = common.openModel(parent, BenchModels.standardSharedBuffer(home, err), err))
		{
			final double[] seconds = alternate(concat.model(), shared.model(), kvSteps);
			report.put("kv_steps", kvSteps);
			report.put("kv_positions", DecodeBenchmark.PROMPT_TOKENS + kvSteps);
			report.put("concat_kv_ms_per_step", 500 * seconds[0] / kvSteps);
			report.put("shared_buffer_kv_ms_per_step", 500 * seconds[1] / kvSteps);
			report.put("inplace_kv_speedup", seconds[0] / seconds[1]);
		}
	}

	/**
	 * Two bundles of the same weights measured in alternating rounds (a, b, b, a) after a warm-up,
	 * so that the drift of a shared machine weighs alike on both.
	 *
	 * @return the seconds of the two rounds of {@code timedSteps} steps of each
	 */
	private double[] alternate(final Model a, final Model b, final int timedSteps) {
		final DecodeBenchmark first = new DecodeBenchmark(a);
		final DecodeBenchmark second = new DecodeBenchmark(b);
		first.measure(Math.min(8, timedSteps)); // NB: warm-up
		second.measure(Math.min(8, timedSteps));
		final double[] seconds = { first.measure(timedSteps).seconds(), second.measure(timedSteps).seconds() };
		seconds[1] += second.measure(timedSteps).seconds();
		seconds[0] += first.measure(timedSteps).seconds();
		return seconds;
	}

	/**
	 * Speculative against plain decoding on the trained text-to-image model
	 * ({@link BenchModels#trainedTextToImage}), whatever {@code --model} is, since a random model says
	 * nothing about acceptance; on {@code bundle} (noted on stderr) when there is none.
	 */
	private void putJacobi(final Map<String, Object> report, final LuminaHome home, final Path bundle,
		final PrintWriter err) throws IOException
	{
		final Path trained = BenchModels.trainedTextToImage(home, err);
		try (LoadedModels.Lease lease = common.openModel(parent, trained != null ? trained : bundle, err)) {
			final Model opened = lease.model();
			if (opened.manifest().randomWeights()) {
				err.println("lumina: bench: speculative Jacobi decoding measured on " + opened.manifest().name() +
					", which has random weights: its acceptance rates are not meaningful");
			}
			final JacobiBenchmark benchmark = new JacobiBenchmark(opened);
			benchmark.compare(Math.min(16, sjdTokens), jacobiWindow); // NB: warm-up of the multi-position shapes
			final JacobiBenchmark.Side[] sides = benchmark.compare(sjdTokens, jacobiWindow);
			final GenerationParams p = benchmark.params();
			report.put("sjd_model", opened.manifest().name());
			report.put("sjd_model_dir", opened.manifest().directory().toString());
			report.put("sjd_settings", String.format(Locale.ROOT, "%s, cfg %s, image top-k %d, temperature %s, window %d",
				benchmark.size(), p.cfg(), p.imageTopK(), p.temperature(), jacobiWindow));
			report.put("sjd_image_tokens", sides[1].imageTokens());
			report.put("sjd_plain_ms_per_image_token", sides[0].msPerImageToken());
			report.put("sjd_ms_per_image_token", sides[1].msPerImageToken());
			report.put("sjd_steps_per_token", sides[1].stepsPerToken());
			report.put("sjd_speedup", sides[0].msPerImageToken() / sides[1].msPerImageToken());
		}
	}

	private void putGuidance(final Map<String, Object> report, final DecodeBenchmark benchmark) {
		benchmark.compareGuidance(Math.min(8, steps), GUIDANCE_CFG); // NB: warm-up of the batch-2 shapes
		final DecodeBenchmark.Measurement[] cfg = benchmark.compareGuidance(steps, GUIDANCE_CFG);
		report.put("cfg_steps", cfg[1].steps());
		report.put("cfg_unbatched_ms_per_image_token", cfg[0].msPerStep());
		report.put("cfg_batched_ms_per_image_token", cfg[1].msPerStep());
		report.put("cfg_batched_speedup", cfg[0].msPerStep() / cfg[1].msPerStep());
		final int positions = DecodeBenchmark.PROMPT_TOKENS + steps;
		final double[] drop = benchmark.rowDropMs(positions);
		report.put("cfg_row_drop_positions", positions);
		report.put("cfg_row_drop_slice_ms", drop[0]);
		report.put("cfg_row_drop_restart_ms", drop[1]);
	}

	private void print(final Map<String, Object> report, final PrintWriter out) {
		if (json) {
			out.println(JsonOutput.line(report));
			return;
		}
		for (final Map.Entry<String, Object> e : report.entrySet()) {
			final Object v = e.getValue();
			out.println(String.format(Locale.ROOT, "%-28s %s", e.getKey(), v instanceof Double d ? String.format(Locale.ROOT,
				"%.4g", d) : v));
		}
	}
}
