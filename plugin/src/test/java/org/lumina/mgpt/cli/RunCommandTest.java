package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.plugin.service.TestBundles;

/**
 * Tests {@link RunCommand} end to end on the tiny bundle: outputs with the inputs' geometry and
 * provenance, broken inputs, resume, {@code --overwrite}, another seed, stacks, cancellation.
 */
class RunCommandTest {

	@TempDir
	Path temp;

	private Path in;
	private Path out;

	@BeforeEach
	void inputs() throws IOException {
		in = Files.createDirectories(temp.resolve("in"));
		out = temp.resolve("out");
		save(IJ.createImage("a", "8-bit ramp", 64, 48, 1), in.resolve("a.tif"), 0.25);
		save(IJ.createImage("b", "16-bit ramp", 64, 48, 2), in.resolve("b.tif"), 3.0); // a 2-plane stack
		Files.writeString(in.resolve("broken.tif"), "not a TIFF");
	}

	@Test
	void depthOnAFolderThenResumeOverwriteAndAnotherSeed() throws IOException {
		final CliRun first = run("--input", in.toString());
		assertEquals(ErrorReporter.BAD_INPUT, first.code(), first::toString);
		assertEquals("done 2, skipped 0, failed 1", first.outLines().get(0), first::toString);
		assertTrue(first.outLines().get(1).startsWith("failed " + in.resolve("broken.tif") + ": "), first::toString);
		assertTrue(first.err().contains("run: [2/3] " + in.resolve("b.tif")), first::toString);
		assertTrue(first.err().contains("depth: plane 2/2"), first::toString);
		final ImagePlus a = IJ.openImage(out.resolve("a-depth.tif").toString());
		assertEquals(64, a.getWidth());
		assertEquals(48, a.getHeight());
		assertEquals(1, a.getStackSize());
		assertEquals(0.25, a.getCalibration().pixelWidth, 1e-5);
		assertEquals(IJ.openImage(in.resolve("a.tif").toString()).getCalibration().getUnit(), a.getCalibration().getUnit());
		assertTrue(a.getInfoProperty().contains("task=depth\n"), a.getInfoProperty());
		assertTrue(a.getInfoProperty().contains("seed=0\n"), a.getInfoProperty());
		assertTrue(a.getInfoProperty().contains("input_sha256="), a.getInfoProperty());
		final ImagePlus b = IJ.openImage(out.resolve("b-depth.tif").toString());
		assertEquals(2, b.getStackSize());
		assertEquals(3.0, b.getCalibration().pixelWidth, 1e-5);
		assertFalse(Files.exists(out.resolve("broken-depth.tif")));
		assertEquals(List.of(), hidden());

		final CliRun again = run("--input", in.toString());
		assertEquals("done 0, skipped 2, failed 1", again.outLines().get(0), again::toString);
		assertEquals("done 1, skipped 0, failed 0", run("--input", in.resolve("a.tif").toString(), "--overwrite")
			.lastLine());
		final CliRun seed = run("--input", in.resolve("a.tif").toString(), "--seed", "7");
		assertEquals(0, seed.code(), seed::toString);
		assertEquals("done 1, skipped 0, failed 0", seed.lastLine());
		assertTrue(seed.err().contains("seed (was 0, now 7)"), seed::toString);
		assertEquals(List.of(), hidden());
	}

	@Test
	void describeWritesTextAndATiffWithTheProvenance() throws IOException {
		final CliRun run = CliRun.of("run", "describe", "--model", CliRun.tinyBundle().toString(), "--input", in.resolve(
			"a.tif").toString(), "--out", out.toString(), "--threads", "1", "--max-tokens", "8");
		assertEquals(0, run.code(), run::toString);
		assertTrue(Files.isRegularFile(out.resolve("a-describe.txt")), run::toString);
		assertTrue(Files.isRegularFile(out.resolve("a-describe.csv")), run::toString);
		final ImagePlus tif = IJ.openImage(out.resolve("a-describe.tif").toString());
		assertEquals(64, tif.getWidth());
		assertTrue(tif.getInfoProperty().contains("task=describe\n"), tif.getInfoProperty());
	}

	/**
	 * Pose with a model whose manifest declares the keypoint convention (a copy of the trained
	 * image-to-image bundle given it) writes the keypoint table as its .csv, a row per keypoint;
	 * with the tiny bundle's "unknown" there is no table, so no .csv.
	 */
	@Test
	void poseWritesItsKeypointsToTheCsvWhenTheManifestDeclaresThem() throws IOException {
		final Path bundle = TestBundles.withOutput(TestBundles.copy(CliRun.home().resolve(
			"model-runtime/models/synthetic/image_to_image"), temp.resolve("declared")), "pose", TestBundles
				.poseConvention());
		final Path picture = CliRun.home().resolve("model-runtime/models/synthetic/heldout/scene000_pose_rgb.png");
		final CliRun run = CliRun.of("run", "pose", "--model", bundle.toString(), "--input", picture.toString(), "--out",
			out.toString(), "--threads", "1");
		assertEquals(0, run.code(), run::toString);
		final List<String> csv = Files.readAllLines(out.resolve("scene000_pose_rgb-pose.csv"));
		assertEquals(1 + 11, csv.size(), csv::toString);
		assertTrue(csv.get(0).contains("keypoint,x,y,found"), csv.get(0));
		assertTrue(csv.get(1).contains("head"), csv.get(1));

		final CliRun unknown = CliRun.of("run", "pose", "--model", CliRun.tinyBundle().toString(), "--input", in.resolve(
			"a.tif").toString(), "--out", out.toString(), "--threads", "1", "--cfg", "1");
		assertEquals(0, unknown.code(), unknown::toString);
		assertTrue(Files.isRegularFile(out.resolve("a-pose.tif")), unknown::toString);
		assertFalse(Files.exists(out.resolve("a-pose.csv")), unknown::toString);
	}

	@Test
	void cancellingWhileGeneratingWritesNothing() throws IOException {
		final CancelFlag cancel = new CancelFlag();
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		// NB: cancels as soon as the progress says the first plane is being generated, as Ctrl-C would
		final PrintStream tap = new PrintStream(new OutputStream() {

			@Override
			public void write(final int b) {
				err.write(b);
				if (err.toString(StandardCharsets.UTF_8).contains("plane 1/1: generating")) cancel.cancel();
			}
		}, true, StandardCharsets.UTF_8);
		final int code = LuminaCli.run(new String[] { "run", "depth", "--model", CliRun.tinyBundle().toString(),
			"--input", in.resolve("a.tif").toString(), "--out", out.toString(), "--threads", "1" }, new PrintStream(
				new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), tap, cancel);
		assertEquals(ErrorReporter.CANCELLED, code, err::toString);
		assertFalse(Files.exists(out.resolve("a-depth.tif")));
		assertEquals(List.of(), hidden());
	}

	@Test
	void badTaskOrMissingFieldIsOneErrorLine() {
		final CliRun unknown = CliRun.of("run", "nope", "--model", CliRun.tinyBundle().toString(), "--input", in
			.toString(), "--out", out.toString());
		assertEquals(ErrorReporter.BAD_INPUT, unknown.code());
		assertTrue(unknown.errorLines().get(0).contains("unknown task 'nope'"), unknown::toString);
		final CliRun noObject = CliRun.of("run", "detect", "--model", CliRun.tinyBundle().toString(), "--input", in
			.toString(), "--out", out.toString());
		assertEquals(ErrorReporter.BAD_INPUT, noObject.code());
		assertTrue(noObject.errorLines().get(0).contains("'object'"), noObject::toString);
		final CliRun noInput = CliRun.of("run", "depth", "--model", CliRun.tinyBundle().toString(), "--out", out
			.toString());
		assertTrue(noInput.errorLines().get(0).contains("needs --input"), noInput::toString);
		assertFalse(Files.exists(out));
	}

	// -- Helper methods --

	private CliRun run(final String... args) {
		final List<String> all = new java.util.ArrayList<>(List.of("run", "depth", "--model", CliRun.tinyBundle()
			.toString(), "--out", out.toString(), "--threads", "1"));
		all.addAll(List.of(args));
		return CliRun.of(all.toArray(String[]::new));
	}

	private List<Path> hidden() throws IOException {
		try (Stream<Path> files = Files.list(out)) {
			return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
		}
	}

	private static void save(final ImagePlus image, final Path file, final double pixelWidth) {
		final Calibration c = image.getCalibration();
		c.pixelWidth = pixelWidth;
		c.pixelHeight = pixelWidth;
		c.setUnit("um");
		IJ.saveAsTiff(image, file.toString());
	}
}
