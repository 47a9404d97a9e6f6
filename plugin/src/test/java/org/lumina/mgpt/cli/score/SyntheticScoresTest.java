package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.cli.CliRun;

/**
 * The trained synthetic bundles ({@code model-runtime/models/synthetic}, one per task family)
 * through {@code lumina score} on every held-out scene, against the figures they reached when they
 * were committed ({@code models/synthetic/scores.json}, that day's {@code lumina score --json}
 * line). A score may move by sampling noise, not more: an engine change that breaks the pipeline
 * (a swapped height and width, an end-of-line off by one, guidance on the wrong stream) costs far
 * more than {@link #TOLERANCE} even on this small model. The goals are printed beside
 * the figures; those not reached yet are listed in the training README ("What remains").
 * Skipped while no bundle is there.
 */
class SyntheticScoresTest {

	/** How far a fraction may fall below its committed figure: about three of the 36 scenes. */
	static final double TOLERANCE = 0.1;
	/** How far the mean normal angle may rise above its committed figure, in degrees. */
	static final double TOLERANCE_DEGREES = 3;

	@Test
	void theTrainedBundlesKeepTheirScores(@TempDir final Path answers) throws IOException {
		final Path synthetic = CliRun.home().resolve("model-runtime/models/synthetic");
		final Path committed = synthetic.resolve("scores.json");
		assumeTrue(Files.isRegularFile(committed), "skipped: no trained bundle yet (" + committed + " does not exist)");
		final JsonNode reached = new ObjectMapper().readTree(committed.toFile());
		final CliRun run = CliRun.of("score", "--model", synthetic.toString(), "--json", "--quiet", "--answers", answers
			.toString());
		assertEquals(0, run.code(), run::toString);
		// what the classifier figure was measured on is kept beside the answers, for a look at its misses
		try (Stream<Path> kept = Files.list(answers)) {
			assertEquals(HeldoutSet.read(synthetic.resolve(HeldoutSet.FOLDER)).size(), kept.filter(p -> p.getFileName()
				.toString().endsWith("-rgb-roundtrip.png")).count(), run::toString);
		}
		final JsonNode now = new ObjectMapper().readTree(run.lastLine());
		final List<String> lost = new ArrayList<>();
		final StringBuilder table = new StringBuilder("score: now / committed / goal\n");
		for (final Metric metric : Metric.values()) {
			final JsonNode before = reached.get(metric.key());
			final JsonNode after = now.get(metric.key());
			if (before == null || before.isNull()) continue; // a task the bundles do not cover
			if (after == null || after.isNull()) {
				lost.add(metric.key() + " was not scored");
				continue;
			}
			table.append(String.format(Locale.ROOT, "  %-30s %.3f / %.3f / %s%n", metric.key(), after.asDouble(), before
				.asDouble(), goal(metric, after.asDouble())));
			if (!holds(metric, after.asDouble(), before.asDouble())) lost.add(String.format(Locale.ROOT,
				"%s = %.3f, committed %.3f", metric.key(), after.asDouble(), before.asDouble()));
		}
		System.out.print(table);
		assertTrue(lost.isEmpty(), () -> String.join("\n", lost) + "\n" + table + run.out());
	}

	@Test
	void aLossBeyondTheToleranceFails() {
		assertTrue(holds(Metric.SEGMENTATION_MIOU, 0.25, 0.32));
		assertFalse(holds(Metric.SEGMENTATION_MIOU, 0.2, 0.32));
		assertTrue(holds(Metric.NORMALS_MEAN_ANGLE_DEG, 27, 25.2));
		assertFalse(holds(Metric.NORMALS_MEAN_ANGLE_DEG, 29, 25.2));
		assertFalse(holds(Metric.T2I_SIZES_OK, 35.0 / 36, 1.0));
	}

	/** @return whether {@code now} is within the tolerance of the committed figure {@code before} */
	static boolean holds(final Metric metric, final double now, final double before) {
		if (metric == Metric.T2I_SIZES_OK) return now >= before; // structure, not sampling: no slack
		if (metric.lowerIsBetter()) return now <= before + TOLERANCE_DEGREES;
		return now >= before - TOLERANCE;
	}

	private static String goal(final Metric metric, final double value) {
		if (metric.goal().isEmpty()) return "-";
		return (metric.lowerIsBetter() ? "<= " : ">= ") + metric.goal().getAsDouble() + (metric.meets(value) ? " met"
			: " NOT met");
	}
}
