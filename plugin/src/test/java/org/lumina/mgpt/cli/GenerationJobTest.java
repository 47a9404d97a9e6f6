package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.GenerationResult;
import org.lumina.mgpt.runtime.StopReason;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.task.Answer;

/** Tests {@link GenerationJob.Outcome} and {@link Provenance} without running a model. */
class GenerationJobTest {

	private final Provenance provenance = new Provenance(ManifestReader.read(CliRun.tinyBundle()), "it's a test",
		List.of(), new GenerationPlan(TaskFamily.TEXT, GenerationParams.defaults().withSeed(42).withMaxNewTokens(30)),
		new CommonOptions());

	private static Answer answer(final Optional<String> problem) {
		return new Answer("text", List.of(), new GenerationResult(new int[] { 5, 6 }, StopReason.MAX_TOKENS, 2, 0, 0.5,
			problem.isPresent(), 0, 0), problem);
	}

	@Test
	void summaryHasTheContractFields() {
		final Map<String, Object> json = new GenerationJob.Outcome(answer(Optional.empty()), List.of(Path.of("/o/a.txt")))
			.summary(provenance);
		assertEquals(List.of("/o/a.txt"), json.get("files"));
		assertEquals(2, json.get("num_tokens"));
		assertEquals(0.5, json.get("seconds"));
		assertEquals(4.0, json.get("tokens_per_s"));
		assertEquals(42L, json.get("seed"));
		assertEquals("max_tokens", json.get("stop_reason"));
	}

	@Test
	void incompleteAnswerNamesMaxTokens() {
		final GenerationJob.Outcome outcome = new GenerationJob.Outcome(answer(Optional.of("stopped inside an image")),
			List.of(Path.of("/o/answer.txt")));
		final IncompleteAnswerException e = assertThrows(IncompleteAnswerException.class,
			() -> outcome.requireComplete(provenance));
		assertTrue(e.getMessage().contains("stopped inside an image (--max-tokens, now 30)"), e.getMessage());
	}

	@Test
	void provenanceRecordsEverySetting() {
		final Map<String, Object> json = provenance.describe(answer(Optional.empty()), List.of("answer.txt"));
		@SuppressWarnings("unchecked")
		final Map<String, Object> sampling = (Map<String, Object>) json.get("sampling");
		assertEquals(42L, sampling.get("seed"));
		assertEquals(30, sampling.get("max_new_tokens"));
		assertEquals(0, sampling.get("jacobi_window"));
		assertEquals("text", json.get("task_family"));
		assertEquals(true, json.get("complete"));
		assertTrue(json.containsKey("engine") && json.containsKey("model"));
	}

	@Test
	void reproduceLineIsShellQuoted() {
		final String line = provenance.commandLine();
		assertTrue(line.contains("--prompt 'it'\\''s a test'"), line);
		assertTrue(line.contains("--seed 42") && line.contains("--max-tokens 30"), line);
		assertTrue(!line.contains("--jacobi-window"), line);
	}

	/** {@link Provenance}: a speculative window is recorded and repeated by the command line. */
	@Test
	void jacobiWindowIsRecorded() {
		final Provenance jacobi = new Provenance(ManifestReader.read(CliRun.tinyBundle()), "p", List.of(),
			new GenerationPlan(TaskFamily.TEXT, GenerationParams.defaults().withJacobiWindow(16)), new CommonOptions());
		@SuppressWarnings("unchecked")
		final Map<String, Object> sampling = (Map<String, Object>) jacobi.describe(answer(Optional.empty()), List.of())
			.get("sampling");
		assertEquals(16, sampling.get("jacobi_window"));
		assertTrue(jacobi.commandLine().contains("--jacobi-window 16"), jacobi.commandLine());
	}
}
