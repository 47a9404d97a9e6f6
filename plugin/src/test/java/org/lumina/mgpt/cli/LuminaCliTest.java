package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link LuminaCli#run}: help, usage errors, exit codes and the one-line error format. */
class LuminaCliTest {

	@Test
	void helpListsEveryCommand() {
		final CliRun run = CliRun.of("--help");
		assertEquals(0, run.code(), run::toString);
		for (final String command : new String[] { "demo", "tokens", "generate", "bench" }) {
			assertTrue(run.out().contains(command), command + " missing from\n" + run.out());
		}
	}

	@Test
	void everySubcommandHasHelp() {
		for (final String command : new String[] { "demo", "tokens", "generate", "bench" }) {
			final CliRun run = CliRun.of(command, "--help");
			assertEquals(0, run.code(), run::toString);
			assertTrue(run.out().contains("--device"), run::toString);
		}
	}

	@Test
	void generateHelpDocumentsTheFamilyRule() {
		final String help = CliRun.of("generate", "--help").out().replaceAll("\\s+", " ");
		assertTrue(help.contains("image_to_image when --image is given, else text_to_image when --size is given, else text"),
			help);
	}

	@Test
	void noCommandIsAnError() {
		final CliRun run = CliRun.of();
		assertEquals(2, run.code());
		assertTrue(run.err().contains("lumina: no command given"), run::toString);
	}

	@Test
	void unknownOptionNamesItAndPointsToHelp() {
		final CliRun run = CliRun.of("generate", "--model", "m", "--prompt", "p", "--out", "o", "--bogus");
		assertEquals(2, run.code(), run::toString);
		assertEquals(1, run.errorLines().size(), run::toString);
		final String line = run.errorLines().get(0);
		assertTrue(line.contains("--bogus") && line.endsWith("see ./lumina generate --help"), line);
	}

	@Test
	void missingRequiredOptionIsNamed() {
		final CliRun run = CliRun.of("tokens", "--prompt", "hello");
		assertEquals(2, run.code());
		assertTrue(run.errorLines().get(0).contains("--model"), run::toString);
	}

	@Test
	void badDeviceNamesTheAcceptedForms() {
		final CliRun run = CliRun.of("tokens", "--model", "m", "--prompt", "p", "--device", "tpu");
		assertEquals(2, run.code());
		assertTrue(run.errorLines().get(0).contains("auto, cpu, cuda or cuda:N"), run::toString);
	}

	@Test
	void missingBundleIsOneLineWithoutStackTrace(@TempDir final Path dir) {
		final CliRun run = CliRun.of("tokens", "--model", dir.resolve("nothing").toString(), "--prompt", "p");
		assertEquals(2, run.code(), run::toString);
		assertEquals(1, run.err().lines().count(), run::toString);
		assertTrue(run.err().startsWith("lumina: model folder") && run.err().contains("--model"), run::toString);
		assertFalse(run.err().contains("\tat "), run::toString);
	}

	@Test
	void debugAddsTheStackTrace(@TempDir final Path dir) {
		final CliRun run = CliRun.of("tokens", "--model", dir.toString(), "--prompt", "p", "--debug");
		assertEquals(2, run.code(), run::toString);
		assertTrue(run.err().contains("\tat "), run::toString);
	}

	@Test
	void versionNamesTheEngine() {
		final CliRun run = CliRun.of("--version");
		assertEquals(0, run.code());
		assertTrue(run.out().contains("engine"), run::toString);
	}
}
