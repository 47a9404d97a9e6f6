package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

import ij.IJ;

/**
 * Tests {@code --model} given a folder that holds one bundle per task family (copies of the tiny
 * bundle whose manifests name their {@code families}): each task runs on its family's bundle.
 */
class FamilyBundlesTest {

	@TempDir
	Path temp;

	/** The caption and the text-to-image run on the text bundle, the depth maps on the image-to-image one. */
	@Test
	void demoRunsEachTaskOnItsFamilysBundle() throws IOException {
		final Path models = temp.resolve("models");
		final Path dense = TestBundles.tinyCopy(models.resolve("dense"), TaskFamily.IMAGE_TO_IMAGE);
		final Path text = TestBundles.tinyCopy(models.resolve("pictures-and-captions"), TaskFamily.TEXT_TO_IMAGE,
			TaskFamily.TEXT);
		final Path out = temp.resolve("out");
		final CliRun run = CliRun.of("demo", "--model", models.toString(), "--out", out.toString(), "--quiet");
		assertEquals(0, run.code(), run::toString);
		assertTrue(run.out().contains("(" + dense + ") for image_to_image"), run::toString);
		assertTrue(run.out().contains("(" + text + ") for text_to_image, text"), run::toString);
		assertTrue(run.outLines().get(0).contains(DemoCommand.RANDOM_NOTICE), run::toString);
		assertEquals(text, modelDir(out.resolve("caption-cells-256")));
		assertEquals(dense, modelDir(out.resolve("depth-cells-256")));
		assertEquals(text, modelDir(out.resolve("text-to-image")));
	}

	/** {@code run} picks the bundle of the task's family, here the second in path order. */
	@Test
	void runPicksTheBundleOfTheTasksFamily() throws IOException {
		TestBundles.tinyCopy(temp.resolve("models/a"), TaskFamily.IMAGE_TO_IMAGE);
		final Path text = TestBundles.tinyCopy(temp.resolve("models/b"), TaskFamily.TEXT);
		final Path out = temp.resolve("out");
		final CliRun run = CliRun.of("run", "describe", "--model", temp.resolve("models").toString(), "--input", CliRun
			.sample("cells-256.png").toString(), "--out", out.toString(), "--max-tokens", "4", "--quiet");
		assertEquals(0, run.code(), run::toString);
		final String info = IJ.openImage(out.resolve("cells-256-describe.tif").toString()).getInfoProperty();
		assertTrue(info.contains("model_dir=" + text + "\n"), info);
	}

	/** A family no bundle was trained for is one error line naming the folder, the family and the bundles there. */
	@Test
	void aFamilyWithoutABundleIsRefusedBeforeLoading() throws IOException {
		final Path captions = TestBundles.tinyManifest(temp.resolve("captions"), TaskFamily.TEXT);
		final String out = temp.resolve("out").toString();
		assertRefused(CliRun.of("run", "depth", "--model", temp.toString(), "--input", CliRun.sample("cells-256.png")
			.toString(), "--out", out), "image_to_image", captions);
		assertRefused(CliRun.of("generate", "--model", temp.toString(), "--prompt", "p", "--size", "512x512", "--out",
			out), "text_to_image", captions);
	}

	private void assertRefused(final CliRun run, final String family, final Path captions) {
		assertEquals(ErrorReporter.BAD_INPUT, run.code(), run::toString);
		assertEquals(1, run.errorLines().size(), run::toString);
		assertTrue(run.errorLines().get(0).startsWith("lumina: no model bundle in " + temp + " was trained for " + family +
			" tasks: it holds " + captions + " (text)"), run::toString);
	}

	/** @return the {@code model.dir} of the run folder's {@code generation.json} */
	private static Path modelDir(final Path runFolder) throws IOException {
		return Path.of(new ObjectMapper().readTree(runFolder.resolve(GenerationJob.PROVENANCE).toFile()).path("model")
			.path("dir").asText());
	}
}
