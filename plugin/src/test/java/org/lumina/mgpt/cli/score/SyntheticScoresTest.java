package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.cli.CliRun;

/**
 * The bars on the trained synthetic bundle ({@code model-runtime/models/synthetic}, one
 * bundle or one per task family), through {@code lumina score}. Skipped while no bundle is there.
 * To stay short it scores the first {@code lumina.score.scenes} scenes (default 9: three of each
 * size); {@code -Dlumina.score.scenes=0} scores all 36.
 */
class SyntheticScoresTest {

	@Test
	void theTrainedBundleMeetsEveryBar() throws IOException {
		final Path synthetic = CliRun.home().resolve("model-runtime/models/synthetic");
		assumeTrue(hasBundle(synthetic), "skipped: no trained bundle yet (model-runtime/models/synthetic/lumina-model.json " +
			"or model-runtime/models/synthetic/<family>/lumina-model.json does not exist)");
		final String scenes = System.getProperty("lumina.score.scenes", "9");
		final CliRun run = CliRun.of("score", "--model", synthetic.toString(), "--scenes", scenes, "--json", "--quiet");
		assertEquals(0, run.code(), run::toString);
		final JsonNode scores = new ObjectMapper().readTree(run.lastLine());
		final List<String> missed = new ArrayList<>();
		for (final Metric metric : Metric.values()) {
			final JsonNode v = scores.get(metric.key());
			if (v == null || v.isNull()) missed.add(metric.key() + " was not scored");
			else if (!metric.meets(v.asDouble())) missed.add(metric.key() + " = " + v.asDouble() + ", goal " + (metric
				.lowerIsBetter() ? "<= " : ">= ") + metric.goal().getAsDouble());
		}
		assertTrue(missed.isEmpty(), () -> String.join("\n", missed) + "\n" + run.out());
	}

	private static boolean hasBundle(final Path dir) throws IOException {
		if (Files.isRegularFile(dir.resolve("lumina-model.json"))) return true;
		if (!Files.isDirectory(dir)) return false;
		try (Stream<Path> children = Files.list(dir)) {
			return children.anyMatch(c -> Files.isRegularFile(c.resolve("lumina-model.json")));
		}
	}
}
