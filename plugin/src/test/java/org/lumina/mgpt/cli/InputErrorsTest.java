package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input of {@code tokens} and {@code generate} ends with exit code 2 and one line naming problem and fix. */
class InputErrorsTest {

	@TempDir
	Path temp;

	private static String tiny() {
		return CliRun.tinyBundle().toString();
	}

	/** @return the single error line of a run that must fail with code 2 */
	private static String failure(final String... args) {
		final CliRun run = CliRun.of(args);
		assertEquals(2, run.code(), run::toString);
		assertEquals(1, run.errorLines().size(), run::toString);
		assertFalse(run.err().contains("\tat "), run::toString);
		return run.errorLines().get(0);
	}

	@Test
	void corruptManifest() throws IOException {
		Files.writeString(temp.resolve("lumina-model.json"), "{ not json");
		final String line = failure("tokens", "--model", temp.toString(), "--prompt", "p");
		assertTrue(line.contains("lumina-model.json"), line);
	}

	@Test
	void folderWithoutBundle() {
		final String line = failure("tokens", "--model", temp.toString(), "--prompt", "p");
		assertTrue(line.contains("lumina-model.json"), line);
	}

	@Test
	void checksumMismatch() throws IOException {
		final Path copy = temp.resolve("bundle");
		Files.createDirectories(copy);
		try (var files = Files.list(CliRun.tinyBundle())) {
			for (final Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
				.toList()) Files.copy(f, copy.resolve(f.getFileName()));
		}
		Files.write(copy.resolve("vq_decoder.onnx"), new byte[] { 1 }, StandardOpenOption.APPEND);
		final String line = failure("tokens", "--model", copy.toString(), "--prompt", "p");
		assertTrue(line.contains("checksum mismatch for vq_decoder.onnx") && line.contains("re-export"), line);
	}

	@Test
	void unreadableImageNamesTheFileAndTheFormats() throws IOException {
		final Path fake = Files.writeString(temp.resolve("photo.png"), "not an image");
		final String line = failure("tokens", "--model", tiny(), "--prompt", "p", "--image", fake.toString());
		assertTrue(line.contains(fake.toString()) && line.contains("supported formats: ") && line.contains("png"), line);
	}

	@Test
	void missingImage() {
		final String line = failure("tokens", "--model", tiny(), "--prompt", "p", "--image", temp.resolve("no.png").toString());
		assertTrue(line.contains("no.png") && line.contains("does not exist"), line);
	}

	@Test
	void sizeNotACandidateListsNearbyOnes() {
		final Path out = temp.resolve("out");
		final String line = failure("generate", "--model", tiny(), "--prompt", "p", "--size", "500x500", "--out",
			out.toString());
		assertTrue(line.contains("500x500") && line.contains("the closest are 512x512"), line);
		assertFalse(Files.exists(out), "a failed run must not create --out");
	}

	@Test
	void maxTokensBelowTheForcedImage() {
		final String line = failure("generate", "--model", tiny(), "--prompt", "p", "--size", "576x448", "--max-tokens",
			"10", "--out", temp.resolve("out").toString());
		assertTrue(line.contains("needs 1040 new tokens") && line.contains("--max-tokens is 10") &&
			line.contains("--max-tokens 1040 or more"), line);
	}

	@Test
	void placeholderCountMismatch() {
		final String line = failure("tokens", "--model", tiny(), "--prompt", "<|image|> and <|image|>", "--image",
			CliRun.sample("cells-256.png").toString());
		assertTrue(line.contains("2 <|image|> placeholder(s) but 1 image(s)"), line);
	}
}
