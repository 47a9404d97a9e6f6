package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.vq.UniRep;

import picocli.CommandLine;

/** Tests {@link SamplingOptions}: parsing, the family rule and the manifest defaults. */
class SamplingOptionsTest {

	private static ModelManifest manifest;
	private static CandidateSizes candidates;

	@BeforeAll
	static void readManifest() {
		manifest = ManifestReader.read(CliRun.tinyBundle());
		candidates = CandidateSizes.forTargetSize(manifest.targetSize());
	}

	private static GenerateCommand parse(final String... extra) {
		final GenerateCommand command = new GenerateCommand();
		final String[] args = new String[extra.length + 6];
		System.arraycopy(new String[] { "--model", "m", "--prompt", "p", "--out", "o" }, 0, args, 0, 6);
		System.arraycopy(extra, 0, args, 6, extra.length);
		new CommandLine(command).parseArgs(args);
		return command;
	}

	private static GenerationPlan plan(final boolean hasImages, final String... extra) {
		return parse(extra).sampling.plan(manifest, candidates, hasImages);
	}

	@Test
	void commonDefaults() {
		final GenerateCommand command = parse();
		assertEquals("auto", command.common.device.toString());
		assertEquals(0, command.common.threads);
		assertTrue(command.images.isEmpty());
		assertNull(command.sampling.seed);
	}

	@Test
	void textDefaultsComeFromTheManifest() {
		final GenerationPlan plan = plan(false, "--seed", "5");
		assertEquals(TaskFamily.TEXT, plan.family());
		final GenerationParams p = plan.params();
		assertEquals(1.0, p.cfg());
		assertEquals(10, p.textTopK());
		assertEquals(512, p.maxNewTokens());
		assertEquals(1.0, p.topP());
		assertEquals(5, p.seed());
		assertNull(p.forcedImageSize());
	}

	@Test
	void sizeMeansTextToImageWithTheImageBudget() {
		final GenerationPlan plan = plan(false, "--size", "512x512");
		assertEquals(TaskFamily.TEXT_TO_IMAGE, plan.family());
		assertEquals(4.0, plan.params().cfg());
		assertEquals(2000, plan.params().imageTopK());
		assertEquals(new ImageSize(512, 512), plan.params().forcedImageSize());
		assertEquals(UniRep.tokenCount(new ImageSize(512, 512)) + SamplingOptions.IMAGE_MARGIN, plan.params().maxNewTokens());
	}

	@Test
	void imagesMeanImageToImageWithTheLargestCandidateBudget() {
		final GenerationPlan plan = plan(true);
		assertEquals(TaskFamily.IMAGE_TO_IMAGE, plan.family());
		assertEquals(200, plan.params().imageTopK());
		final int largest = candidates.sizes().stream().mapToInt(UniRep::tokenCount).max().orElseThrow();
		assertEquals(largest + SamplingOptions.IMAGE_MARGIN, plan.params().maxNewTokens());
	}

	@Test
	void familyOptionOverridesTheRule() {
		assertEquals(TaskFamily.TEXT, plan(true, "--family", "text").family());
		assertThrows(CommandLine.ParameterException.class, () -> parse("--family", "video"));
	}

	@Test
	void explicitValuesWin() {
		final GenerationParams p = plan(false, "--cfg", "2.5", "--image-top-k", "7", "--text-top-k", "3", "--top-p",
			"0.9", "--temperature", "0", "--max-tokens", "9", "--seed", "11").params();
		assertEquals(2.5, p.cfg());
		assertEquals(7, p.imageTopK());
		assertEquals(3, p.textTopK());
		assertEquals(0.9, p.topP());
		assertEquals(0.0, p.temperature());
		assertEquals(9, p.maxNewTokens());
		assertEquals(11, p.seed());
	}

	/** {@code --jacobi-window}: off unless given; a negative window names the option. */
	@Test
	void jacobiWindowIsOffUnlessGiven() {
		assertEquals(0, plan(false).params().jacobiWindow());
		assertEquals(16, plan(false, "--jacobi-window", "16").params().jacobiWindow());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> plan(false, "--jacobi-window", "-1"));
		assertTrue(e.getMessage().startsWith("--jacobi-window must be >= 0"), e.getMessage());
	}

	@Test
	void aRandomSeedIsChosenAndRecorded() {
		final long a = plan(false).params().seed();
		assertTrue(a >= 0);
	}

	@Test
	void sizeNotACandidateListsTheClosest() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> plan(false, "--size", "256x256"));
		assertTrue(e.getMessage().startsWith("--size 256x256 is not a size this model generates"), e.getMessage());
		assertTrue(e.getMessage().contains("the closest are 512x512, "), e.getMessage());
	}

	@Test
	void maxTokensTooSmallForTheForcedImageNamesTheMinimum() {
		final int needed = UniRep.tokenCount(new ImageSize(512, 512));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> plan(false, "--size", "512x512", "--max-tokens", "100"));
		assertEquals("--size 512x512 needs " + needed + " new tokens for its image but --max-tokens is 100; pass " +
			"--max-tokens " + needed + " or more (or leave it out)", e.getMessage());
	}

	@Test
	void outOfRangeValuesNameTheOption() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(false, "--top-p", "2"));
		assertTrue(e.getMessage().startsWith("--top-p must be in (0, 1]"), e.getMessage());
		assertTrue(e.getMessage().endsWith("see --help"), e.getMessage());
	}

	@Test
	void malformedSizeSaysTheForm() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(false, "--size", "big"));
		assertTrue(e.getMessage().contains("WIDTHxHEIGHT"), e.getMessage());
	}
}
