package org.lumina.mgpt.plugin.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.lumina.mgpt.runtime.EngineInfo;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.bundle.ModelManifest;

/** Builds the {@code key=value} provenance of a {@link TaskRunner} run, in a fixed key order. */
final class RunProvenance {

	private RunProvenance() {}

	/**
	 * @param preprocess each plane's preprocess description (joined with {@code " | "} when they differ)
	 * @return model, model_dir, model_sha256, task, prompt, seed, cfg, image_top_k, text_top_k,
	 *         temperature, top_p, max_new_tokens, jacobi_window, model_size, device, engine_version, elapsed_s,
	 *         input, preprocess, num_tokens, stop_reason
	 */
	static Map<String, String> of(final ModelManifest manifest, final String modelDir, final String task,
		final String prompt, final GenerationParams params, final String device, final long startNanos,
		final String input, final List<String> preprocess, final int numTokens, final String stopReason)
	{
		final Map<String, String> p = new LinkedHashMap<>();
		p.put("model", manifest.name());
		p.put("model_dir", modelDir);
		p.put("model_sha256", manifest.files().decoder().sha256());
		p.put("task", task);
		p.put("prompt", prompt);
		p.put("seed", Long.toString(params.seed()));
		p.put("cfg", Double.toString(params.cfg()));
		p.put("image_top_k", Integer.toString(params.imageTopK()));
		p.put("text_top_k", Integer.toString(params.textTopK()));
		p.put("temperature", Double.toString(params.temperature()));
		p.put("top_p", Double.toString(params.topP()));
		p.put("max_new_tokens", Integer.toString(params.maxNewTokens()));
		p.put("jacobi_window", Integer.toString(params.jacobiWindow()));
		p.put("model_size", params.forcedImageSize() == null ? "none" : params.forcedImageSize().toString());
		p.put("device", device);
		p.put("engine_version", EngineInfo.version());
		p.put("elapsed_s", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e9));
		p.put("input", input);
		p.put("preprocess", preprocess.stream().distinct().collect(Collectors.joining(" | ")));
		p.put("num_tokens", Integer.toString(numTokens));
		p.put("stop_reason", stopReason);
		return p;
	}
}
