package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.cli.CliRun;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;

/** Tests {@link ScoredBundles}: finding bundles, what each covers, and who scores what. */
class ScoredBundlesTest {

	@Test
	void theTinyBundleCoversEveryScoredTask() throws IOException {
		final List<Path> found = ScoredBundles.find(CliRun.tinyBundle());
		assertEquals(List.of(CliRun.tinyBundle()), found);
		assertEquals(Set.copyOf(ScoredBundles.TASKS), ScoredBundles.covered(ManifestReader.read(found.get(0)), Set.copyOf(
			ScoredBundles.TASKS)));
	}

	/** Bundles per task family: each scores its family's tasks; the first that covers a task scores it. */
	@Test
	void familyFoldersSplitTheTasks(@TempDir final Path dir) throws IOException {
		for (final String family : new String[] { "text", "image_to_image", "text_to_image" }) {
			Files.createDirectories(dir.resolve(family));
			Files.copy(CliRun.tinyBundle().resolve("lumina-model.json"), dir.resolve(family).resolve("lumina-model.json"));
		}
		Files.createDirectories(dir.resolve("heldout"));
		final List<Path> found = ScoredBundles.find(dir);
		assertEquals(List.of(dir.resolve("image_to_image"), dir.resolve("text"), dir.resolve("text_to_image")), found);
		final List<ModelManifest> manifests = new ArrayList<>();
		for (final Path p : found) manifests.add(ManifestReader.read(p));
		final Map<ModelManifest, Set<String>> plan = ScoredBundles.assign(manifests, ScoredBundles.parseTasks(null));
		assertEquals(Set.of("segmentation", "depth", "normals", "detect"), plan.get(manifests.get(0)));
		assertEquals(Set.of("describe"), plan.get(manifests.get(1)));
		assertEquals(Set.of("t2i"), plan.get(manifests.get(2)));
	}

	@Test
	void aFolderWithoutBundlesIsRefused(@TempDir final Path dir) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoredBundles.find(dir));
		assertTrue(e.getMessage().contains("no model bundle"), e.getMessage());
	}

	@Test
	void unknownTasksAreNamed() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoredBundles.parseTasks(
			"depth,pose"));
		assertTrue(e.getMessage().contains("'pose'") && e.getMessage().contains("segmentation"), e.getMessage());
		assertEquals(Set.of("depth", "t2i"), ScoredBundles.parseTasks(" depth, T2I"));
	}
}
