package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link OutputFolder}: nothing final appears before the commit, nothing stays after a failure. */
class OutputFolderTest {

	@TempDir
	Path temp;

	@Test
	void commitRenamesInOrder() throws IOException {
		final Path dir = temp.resolve("new/out");
		final List<Path> files;
		try (OutputFolder folder = OutputFolder.open(dir)) {
			Files.writeString(folder.file("a.txt"), "a");
			Files.writeString(folder.file("generation.json"), "{}");
			assertFalse(Files.exists(dir.resolve("a.txt")), "visible before the commit");
			files = folder.commit();
		}
		assertEquals(List.of(dir.resolve("a.txt"), dir.resolve("generation.json")), files);
		assertEquals(List.of("a.txt", "generation.json"), names(dir));
	}

	@Test
	void failureLeavesNothingAndRemovesTheFolderItCreated() throws IOException {
		final Path dir = temp.resolve("out");
		try (OutputFolder folder = OutputFolder.open(dir)) {
			Files.writeString(folder.file("image-1.png"), "half");
		}
		assertFalse(Files.exists(dir));
	}

	@Test
	void failureKeepsAnExistingFolderAndItsFiles() throws IOException {
		Files.writeString(temp.resolve("mine.txt"), "keep");
		try (OutputFolder folder = OutputFolder.open(temp)) {
			Files.writeString(folder.file("answer.txt"), "half");
		}
		assertEquals(List.of("mine.txt"), names(temp));
	}

	@Test
	void commitReplacesOlderResults() throws IOException {
		Files.writeString(temp.resolve("answer.txt"), "old");
		try (OutputFolder folder = OutputFolder.open(temp)) {
			Files.writeString(folder.file("answer.txt"), "new");
			folder.commit();
		}
		assertEquals("new", Files.readString(temp.resolve("answer.txt")));
	}

	@Test
	void aFileIsNotAFolder() throws IOException {
		final Path file = Files.writeString(temp.resolve("f"), "x");
		assertThrows(IllegalArgumentException.class, () -> OutputFolder.open(file));
	}

	private static List<String> names(final Path dir) throws IOException {
		try (Stream<Path> list = Files.list(dir)) {
			return list.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void temporaryNamesAreHiddenAndKeepTheExtension() throws IOException {
		try (OutputFolder folder = OutputFolder.open(temp)) {
			final String name = folder.file("image-1.png").getFileName().toString();
			assertTrue(name.startsWith(".") && name.endsWith(".png"), name);
		}
	}
}
