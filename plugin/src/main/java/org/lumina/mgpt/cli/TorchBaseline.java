package org.lumina.mgpt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The exporter's torch implementation of the same decoder, timed by
 * {@code model-runtime/export/torch_bench.py} with the same number of threads; OpenBLAS is
 * preferred over Debian's reference BLAS (which makes torch ~7x slower) when it is installed.
 */
final class TorchBaseline {

	/** Debian's OpenBLAS (package libopenblas0-pthread). */
	static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread");
	private static final long TIMEOUT_SECONDS = 600;

	private TorchBaseline() {}

	/**
	 * @return the torch fields for the report ({@code torch_tokens_per_s}, {@code torch_ms_per_step},
	 *         {@code torch_threads}, {@code torch_blas}), or {@code torch_skipped} saying why torch
	 *         did not run
	 */
	static Map<String, Object> run(final LuminaHome home, final Path model, final int steps, final int threads)
		throws IOException
	{
		final Map<String, Object> json = new LinkedHashMap<>();
		final Path script = script(home);
		if (script == null || !ExternalProcess.pythonWithTorch()) {
			json.put("torch_skipped", "no " + ExternalProcess.PYTHON + " with torch and onnx, or no torch_bench.py in " +
				home.exporter());
			return json;
		}
		final Map<String, String> env = new HashMap<>();
		if (Files.isRegularFile(OPENBLAS.resolve("libblas.so.3"))) {
			final String old = System.getenv("LD_LIBRARY_PATH");
			env.put("LD_LIBRARY_PATH", OPENBLAS + (old == null || old.isEmpty() ? "" : ":" + old));
		}
		final ExternalProcess run = ExternalProcess.run(List.of(ExternalProcess.PYTHON.toString(), script.toString(),
			"--model", model.toString(), "--steps", Integer.toString(steps), "--threads", Integer.toString(threads),
			"--json"), env, TIMEOUT_SECONDS);
		final String last = run.stdout().strip().lines().reduce((a, b) -> b).orElse("");
		if (!run.succeeded() || !last.startsWith("{")) {
			json.put("torch_skipped", "torch_bench.py failed (exit " + run.exitCode() + "): " + run.lastErrorLine());
			return json;
		}
		final JsonNode result = new ObjectMapper().readTree(last);
		json.put("torch_tokens_per_s", result.path("torch_tokens_per_s").asDouble());
		json.put("torch_ms_per_step", result.path("torch_ms_per_step").asDouble());
		json.put("torch_threads", result.path("threads").asInt());
		json.put("torch_blas", result.path("blas").asText());
		return json;
	}

	/** @return {@code export/torch_bench.py}, else {@code export/lumina_export/torch_bench.py}, else {@code null} */
	private static Path script(final LuminaHome home) {
		for (final String path : new String[] { "torch_bench.py", "lumina_export/torch_bench.py" }) {
			final Path script = home.exporter().resolve(path);
			if (Files.isRegularFile(script)) return script;
		}
		return null;
	}
}
