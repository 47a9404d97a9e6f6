package org.lumina.mgpt.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@link ModelFolder}: listing the bundles of a folder and picking one per task family. */
class ModelFolderTest {

	@TempDir
	Path dir;

	/** A bundle folder is its own only bundle, also when a folder beneath it holds another. */
	@Test
	void aBundleIsItsOwnOnlyBundle() throws IOException {
		bundle(dir);
		bundle(dir.resolve("copy"));
		assertEquals(List.of(dir), ModelFolder.find(dir));
		assertEquals(List.of(dir), ModelFolder.bundles(dir));
		assertEquals(dir, ModelFolder.bundleFor(dir, TaskFamily.IMAGE_TO_IMAGE));
	}

	/**
	 * Bundles up to three folders below count, in path order; each family goes to the first
	 * bundle trained for it, whatever the folders are called.
	 */
	@Test
	void eachFamilyGoesToTheFirstBundleTrainedForIt() throws IOException {
		final Path captions = bundle(dir.resolve("a"), TaskFamily.TEXT_TO_IMAGE, TaskFamily.TEXT);
		final Path dense = bundle(dir.resolve("b/c"), TaskFamily.IMAGE_TO_IMAGE);
		final Path everything = bundle(dir.resolve("b/d/e"));
		bundle(dir.resolve("f/g/h/too-deep"));
		Files.createDirectories(dir.resolve("heldout"));
		assertEquals(List.of(captions, dense, everything), ModelFolder.find(dir));
		assertEquals(captions, ModelFolder.bundleFor(dir, TaskFamily.TEXT));
		assertEquals(captions, ModelFolder.bundleFor(dir, TaskFamily.TEXT_TO_IMAGE));
		assertEquals(dense, ModelFolder.bundleFor(dir, TaskFamily.IMAGE_TO_IMAGE));
		assertEquals(Optional.of(dense), ModelFolder.covering(dir, TaskFamily.IMAGE_TO_IMAGE));
	}

	/** When no bundle beneath covers a family the message names the folder, the family and each bundle's families. */
	@Test
	void aFamilyNoBundleCoversIsRefused() throws IOException {
		final Path captions = bundle(dir.resolve("captions"), TaskFamily.TEXT);
		final Path pictures = bundle(dir.resolve("pictures"), TaskFamily.TEXT_TO_IMAGE);
		assertEquals(Optional.empty(), ModelFolder.covering(dir, TaskFamily.IMAGE_TO_IMAGE));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFolder.bundleFor(dir,
			TaskFamily.IMAGE_TO_IMAGE));
		assertEquals("no model bundle in " + dir + " was trained for image_to_image tasks: it holds " + captions +
			" (text), " + pictures + " (text_to_image); add a bundle whose lumina-model.json lists \"image_to_image\" " +
			"in 'families', or choose another model folder", e.getMessage());
	}

	/** A single bundle is used as given: one trained for other families is refused, not replaced. */
	@Test
	void aBundleTrainedForOtherFamiliesIsRefused() throws IOException {
		bundle(dir, TaskFamily.TEXT_TO_IMAGE, TaskFamily.TEXT);
		bundle(dir.resolve("dense"), TaskFamily.IMAGE_TO_IMAGE);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFolder.bundleFor(dir,
			TaskFamily.IMAGE_TO_IMAGE));
		assertTrue(e.getMessage().startsWith("the model bundle " + dir + " was trained for text_to_image, text tasks " +
			"only, not for image_to_image tasks (key 'families' of its lumina-model.json)"), e.getMessage());
	}

	@Test
	void aFolderWithoutBundlesIsRefused() throws IOException {
		Files.createDirectories(dir.resolve("a/b"));
		assertEquals(List.of(), ModelFolder.find(dir));
		final IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ModelFolder.bundleFor(
			dir, TaskFamily.TEXT));
		assertTrue(none.getMessage().startsWith("no model bundle in " + dir + " (no lumina-model.json in it or up to 3 " +
			"folders below)"), none.getMessage());
		final Path missing = dir.resolve("missing");
		assertEquals(List.of(), ModelFolder.find(missing));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFolder.bundles(
			missing));
		assertTrue(e.getMessage().startsWith("model folder " + missing + " does not exist"), e.getMessage());
	}

	/** @return {@code folder}, made a bundle trained for {@code families} (no key: every family) */
	private static Path bundle(final Path folder, final TaskFamily... families) throws IOException {
		Files.createDirectories(folder);
		final ObjectNode manifest = TestBundles.write(folder);
		if (families.length > 0) {
			final ArrayNode list = manifest.putArray("families");
			for (final TaskFamily family : families) list.add(family.key());
		}
		TestBundles.writeManifest(folder, manifest);
		return folder;
	}
}
