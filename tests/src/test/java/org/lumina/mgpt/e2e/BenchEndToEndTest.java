package org.lumina.mgpt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/** {@code ./lumina bench --json} on the tiny bundle, torch skipped. */
class BenchEndToEndTest {

	@Test
	void jsonLastLineHasTheMeasurements() throws Exception {
		final Cli run = Cli.run("bench", "--model", Cli.tiny().toString(), "--json", "--steps", "16", "--no-torch", "--no-int4",
			"--no-kv", "--no-sjd", "--quiet");
		assertEquals(0, run.code(), run::toString);
		final JsonNode json = run.lastJson();
		assertEquals(16, json.path("steps").asInt());
		assertTrue(json.path("ms_per_step").asDouble() > 0, json::toString);
		assertTrue(json.path("tokens_per_s").asDouble() > 0, json::toString);
		final double overhead = json.path("overhead_fraction").asDouble(-1);
		assertTrue(overhead >= 0 && overhead < 1, json::toString);
		assertEquals(2 * 16, json.path("cfg_steps").asInt(), "two rounds each way");
		for (final String field : new String[] { "cfg_unbatched_ms_per_image_token", "cfg_batched_ms_per_image_token",
			"cfg_batched_speedup", "cfg_row_drop_slice_ms", "cfg_row_drop_restart_ms" })
		{
			assertTrue(json.path(field).asDouble() > 0, field + " in " + json);
		}
		assertFalse(json.has("torch_tokens_per_s"), json::toString);
	}

	/**
	 * Speculative decoding is measured on the trained synthetic model, whatever --model is: exported
	 * from the committed training checkpoints when models/synthetic holds no bundle.
	 */
	@Test
	void speculativeDecodingRunsOnTheTrainedModel() throws Exception {
		assumeTrue(pythonWithTorch(), "the trained model is exported by /usr/bin/python3 with torch and onnx");
		final Cli run = Cli.run("bench", "--model", Cli.tiny().toString(), "--json", "--steps", "4", "--sjd-tokens", "64",
			"--no-torch", "--no-int4", "--no-kv", "--quiet");
		assertEquals(0, run.code(), run::toString);
		final JsonNode json = run.lastJson();
		assertEquals("synthetic", json.path("sjd_model").asText(), json::toString);
		final double stepsPerToken = json.path("sjd_steps_per_token").asDouble(-1);
		assertTrue(stepsPerToken > 0 && stepsPerToken < 1, "a trained model accepts drafts: " + json);
		assertTrue(json.path("sjd_speedup").asDouble() > 0, json::toString);
	}

	private static boolean pythonWithTorch() throws Exception {
		final Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, onnx").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		return p.waitFor() == 0;
	}

	@Test
	void soakShowsNoLeak() throws Exception {
		final Cli run = Cli.run("bench", "--model", Cli.tiny().toString(), "--json", "--steps", "8", "--soak", "10",
			"--no-torch", "--no-int4", "--no-kv", "--quiet");
		assertEquals(0, run.code(), run::toString);
		final JsonNode json = run.lastJson();
		assertEquals(10, json.path("soak_runs").asInt());
		assertEquals(1, json.path("soak_early_run").asInt());
		assertEquals(0, json.path("soak_model_loads").asLong(), "every run leases the loaded model: " + json);
		assertEquals(json.path("native_objects_after_10pct").asLong(), json.path("native_objects_after_100pct").asLong(),
			json::toString);
		assertEquals(0, json.path("native_objects_leaked").asLong());
		assertTrue(json.path("rss_mb_after_100pct").asDouble() > 0, json::toString);
	}
}
