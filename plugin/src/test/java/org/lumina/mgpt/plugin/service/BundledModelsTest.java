package org.lumina.mgpt.plugin.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/** Tests {@link BundledModels#in}: which shipped model folders hold bundles. */
class BundledModelsTest {

	/** {@code synthetic} with only its held-out scenes is no model; {@code tiny-random} is. */
	@Test
	void aFolderWithoutBundlesDoesNotCount(@TempDir final Path models) throws IOException {
		Files.createDirectories(models.resolve("synthetic/heldout"));
		TestBundles.tinyManifest(models.resolve("tiny-random"));
		assertEquals(List.of(models.resolve("tiny-random")), BundledModels.in(models));
	}

	/** {@code synthetic} shipped as one bundle per task family counts, and comes first. */
	@Test
	void aFolderOfFamilyBundlesCounts(@TempDir final Path models) throws IOException {
		TestBundles.tinyManifest(models.resolve("synthetic/image_to_image"), TaskFamily.IMAGE_TO_IMAGE);
		TestBundles.tinyManifest(models.resolve("synthetic/text_to_image"), TaskFamily.TEXT_TO_IMAGE, TaskFamily.TEXT);
		TestBundles.tinyManifest(models.resolve("tiny-random"));
		assertEquals(List.of(models.resolve("synthetic"), models.resolve("tiny-random")), BundledModels.in(models));
	}
}
