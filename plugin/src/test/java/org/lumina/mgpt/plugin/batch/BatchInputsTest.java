package org.lumina.mgpt.plugin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link BatchInputs#list}: sorted images, everything else skipped with a note. */
class BatchInputsTest {

	@TempDir
	Path temp;

	@Test
	void listsTheImagesOfAFolderInNameOrder() throws IOException {
		for (final String name : List.of("b.TIF", "a.png", "c.jpg", "notes.txt", ".hidden.tif")) {
			Files.writeString(temp.resolve(name), "x");
		}
		Files.createDirectory(temp.resolve("sub"));
		final List<String> notes = new ArrayList<>();
		assertEquals(List.of(temp.resolve("a.png"), temp.resolve("b.TIF"), temp.resolve("c.jpg")), BatchInputs.list(temp,
			notes::add));
		assertEquals(2, notes.size(), notes.toString()); // notes.txt and sub/
	}

	@Test
	void aFileIsTakenAsItIsAndAMissingOneIsAnError() throws IOException {
		final Path text = Files.writeString(temp.resolve("notes.txt"), "x");
		assertEquals(List.of(text), BatchInputs.list(text, n -> {}));
		assertThrows(IllegalArgumentException.class, () -> BatchInputs.list(temp.resolve("missing"), n -> {}));
		assertEquals("cells.ome", BatchInputs.baseName("cells.ome.tif"));
	}
}
