package org.lumina.mgpt.cli;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.task.Answer;

/**
 * The content of {@code generation.json}: everything needed to reproduce a result (model, prompt,
 * images, every sampling setting and the seed, engine version) and the command line that does it.
 *
 * @param manifest the model's manifest
 * @param prompt the user's text
 * @param images the input images
 * @param plan the family and settings used
 * @param options device and threads
 */
record Provenance(ModelManifest manifest, String prompt, List<InputImage> images, GenerationPlan plan,
	CommonOptions options)
{

	/** @return the JSON object of a finished run whose outputs are {@code files} (final names) */
	Map<String, Object> describe(final Answer answer, final List<String> files) {
		final Map<String, Object> json = new LinkedHashMap<>();
		json.put("engine", object("name", "lumina-model-runtime", "version", EngineVersion.engine()));
		json.put("created", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
		json.put("model", object("name", manifest.name(), "dir", manifest.directory().toString(), "random_weights",
			manifest.randomWeights()));
		json.put("prompt", prompt);
		final List<Map<String, Object>> inputs = new ArrayList<>();
		for (final InputImage image : images) {
			inputs.add(object("file", image.file().toString(), "size", image.size().toString(), "model_size",
				image.modelSize().toString()));
		}
		json.put("images", inputs);
		json.put("task_family", plan.family().key());
		json.put("sampling", sampling(plan.params()));
		json.put("device", options.device.toString());
		json.put("threads", options.threads);
		json.put("num_tokens", answer.result().tokens().length);
		json.put("stop_reason", answer.result().stopReason().name().toLowerCase(java.util.Locale.ROOT));
		json.put("seconds", answer.result().seconds());
		json.put("complete", answer.complete());
		answer.problem().ifPresent(p -> json.put("problem", p));
		json.put("files", files);
		json.put("reproduce", commandLine());
		return json;
	}

	/** @return a {@code ./lumina generate} command line that repeats this run (output folder {@code OUT}) */
	String commandLine() {
		final GenerationParams p = plan.params();
		final List<String> args = new ArrayList<>(List.of("./lumina", "generate", "--model",
			manifest.directory().toString(), "--prompt", prompt));
		for (final InputImage image : images) args.addAll(List.of("--image", image.file().toString()));
		if (p.forcedImageSize() != null) args.addAll(List.of("--size", p.forcedImageSize().toString()));
		args.addAll(List.of("--seed", Long.toString(p.seed()), "--cfg", Double.toString(p.cfg()), "--image-top-k",
			Integer.toString(p.imageTopK()), "--text-top-k", Integer.toString(p.textTopK()), "--top-p",
			Double.toString(p.topP()), "--temperature", Double.toString(p.temperature()), "--max-tokens",
			Integer.toString(p.maxNewTokens())));
		if (p.jacobi()) args.addAll(List.of("--jacobi-window", Integer.toString(p.jacobiWindow())));
		args.addAll(List.of("--device", options.device.toString(), "--out", "OUT"));
		final StringBuilder line = new StringBuilder();
		for (final String arg : args) line.append(line.length() == 0 ? "" : " ").append(quoted(arg));
		return line.toString();
	}

	private static Map<String, Object> sampling(final GenerationParams p) {
		final Map<String, Object> json = new LinkedHashMap<>();
		json.put("seed", p.seed());
		json.put("size", p.forcedImageSize() == null ? null : p.forcedImageSize().toString());
		json.put("cfg", p.cfg());
		json.put("image_top_k", p.imageTopK());
		json.put("text_top_k", p.textTopK());
		json.put("top_p", p.topP());
		json.put("temperature", p.temperature());
		json.put("max_new_tokens", p.maxNewTokens());
		json.put("jacobi_window", p.jacobiWindow());
		return json;
	}

	/** @return a JSON object of key, value, key, value, ... in that order */
	private static Map<String, Object> object(final Object... keysAndValues) {
		final Map<String, Object> json = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) json.put((String) keysAndValues[i], keysAndValues[i + 1]);
		return json;
	}

	private static String quoted(final String arg) {
		return arg.matches("[A-Za-z0-9_./:=+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
	}
}
