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
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.cli.CliRun;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/** Tests {@link ScoredBundles}: what each bundle covers, and who scores what. */
class ScoredBundlesTest {

	/**
	 * The tiny bundle covers every scored task but pose, whose convention it keeps "unknown": no
	 * reader, so nothing to score; a copy whose manifest declares the keypoint convention covers it.
	 */
	@Test
	void theTinyBundleCoversEveryScoredTaskButPose(@TempDir final Path dir) throws IOException {
		final Set<String> all = Set.copyOf(ScoredBundles.TASKS);
		final Set<String> covered = ScoredBundles.covered(ManifestReader.read(CliRun.tinyBundle()), all);
		assertEquals(all.stream().filter(t -> !t.equals("pose")).collect(Collectors.toSet()), covered);
		final Path declared = TestBundles.withOutput(TestBundles.tinyManifest(dir), "pose", TestBundles.poseConvention());
		assertEquals(all, ScoredBundles.covered(ManifestReader.read(declared), all));
	}

	/**
	 * Bundles per task family: each scores the tasks of the families its manifest names, whatever
	 * its folder is called; the first that covers a task scores it.
	 */
	@Test
	void familyBundlesSplitTheTasks(@TempDir final Path dir) throws IOException {
		TestBundles.tinyManifest(dir.resolve("image_to_image"), TaskFamily.IMAGE_TO_IMAGE);
		TestBundles.tinyManifest(dir.resolve("text"), TaskFamily.TEXT_TO_IMAGE); // NB: the manifest decides, not the name
		TestBundles.tinyManifest(dir.resolve("zz-captions"), TaskFamily.TEXT);
		Files.createDirectories(dir.resolve("heldout"));
		final List<ModelManifest> manifests = new ArrayList<>();
		for (final Path p : ModelFolder.bundles(dir)) manifests.add(ManifestReader.read(p));
		final Map<ModelManifest, Set<String>> plan = ScoredBundles.assign(manifests, ScoredBundles.parseTasks(null));
		assertEquals(List.of(Set.of("segmentation", "depth", "normals", "detect", "condition",
			"edit"), Set.of("t2i"), Set.of("describe")),
			List.copyOf(plan.values()));
	}

	@Test
	void unknownTasksAreNamed() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoredBundles.parseTasks(
			"depth,ask"));
		assertTrue(e.getMessage().contains("'ask'") && e.getMessage().contains("pose"), e.getMessage());
		assertEquals(Set.of("depth", "t2i"), ScoredBundles.parseTasks(" depth, T2I"));
	}
}
