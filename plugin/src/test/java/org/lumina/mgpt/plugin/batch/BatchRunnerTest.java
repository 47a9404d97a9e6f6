package org.lumina.mgpt.plugin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests {@link BatchRunner#run} with a fake task (no model): outputs, resume, overwrite, broken
 * inputs, atomic writes and cancellation.
 */
class BatchRunnerTest {

	@TempDir
	Path temp;

	private Path in;
	private Path out;

	@BeforeEach
	void inputs() throws IOException {
		in = Files.createDirectories(temp.resolve("in"));
		out = temp.resolve("out");
		save(IJ.createImage("a", "8-bit ramp", 64, 48, 1), in.resolve("a.tif"), 0.5);
		save(IJ.createImage("b", "16-bit ramp", 64, 48, 3), in.resolve("b.tif"), 2.0);
		Files.writeString(in.resolve("c.tif"), "not a TIFF");
		Files.writeString(in.resolve("notes.txt"), "skipped: not an image");
	}

	@Test
	void writesOneTiffPerInputAndListsTheBrokenOne() throws IOException {
		final List<String> notes = new ArrayList<>();
		final BatchSummary summary = runner(new FakeTask(1), false, notes).run(BatchInputs.list(in, notes::add));
		assertEquals(List.of(in.resolve("a.tif"), in.resolve("b.tif")), summary.done());
		assertEquals(1, summary.failed().size());
		assertEquals(in.resolve("c.tif"), summary.failed().get(0).file());
		assertFalse(summary.succeeded());
		assertTrue(notes.stream().anyMatch(n -> n.contains("notes.txt")), notes.toString());
		final ImagePlus b = IJ.openImage(out.resolve("b-fake.tif").toString());
		assertEquals(64, b.getWidth());
		assertEquals(3, b.getStackSize());
		assertEquals(2.0, b.getCalibration().pixelWidth);
		final Map<String, String> info = ProvenanceInfo.parse(b.getInfoProperty());
		assertEquals("1", info.get("seed"));
		assertEquals(ProvenanceInfo.sha256(in.resolve("b.tif")), info.get(BatchRunner.INPUT_SHA256));
		assertEquals("done 2, skipped 0, failed 1", summary.lines().get(0));
		assertTrue(summary.lines().get(1).startsWith("failed " + in.resolve("c.tif") + ": "), summary.lines().toString());
		assertEquals(List.of(), partials());
		assertFalse(Files.exists(out.resolve("c-fake.tif")));
	}

	@Test
	void resumeSkipsSameProvenanceAndRedoesOtherwise() throws IOException {
		final List<Path> files = List.of(in.resolve("a.tif"), in.resolve("b.tif"));
		runner(new FakeTask(1), false, new ArrayList<>()).run(files);
		final BatchSummary again = runner(new FakeTask(1), false, new ArrayList<>()).run(files);
		assertEquals(files, again.skipped());
		assertEquals(List.of(), again.done());
		assertEquals(files, runner(new FakeTask(1), true, new ArrayList<>()).run(files).done());
		final List<String> notes = new ArrayList<>();
		assertEquals(files, runner(new FakeTask(2), false, notes).run(files).done());
		assertTrue(notes.get(0).contains("seed (was 1, now 2)"), notes.toString());
	}

	@Test
	void aFailedInputLeavesNoFiles() throws IOException {
		final BatchTask throwing = new FakeTask(1) {

			@Override
			public BatchOutput run(final ImagePlus input, final BatchListener progress, final BooleanSupplier cancelled) {
				throw new IllegalStateException("engine failed");
			}
		};
		final BatchSummary summary = runner(throwing, false, new ArrayList<>()).run(List.of(in.resolve("a.tif")));
		assertEquals("engine failed", summary.failed().get(0).reason());
		assertFalse(Files.exists(out.resolve("a-fake.tif")));
		assertEquals(List.of(), partials());
	}

	@Test
	void cancellingStopsWithoutOutputForTheRunningInput() throws IOException {
		final BatchTask cancelling = new FakeTask(1) {

			@Override
			public BatchOutput run(final ImagePlus input, final BatchListener progress, final BooleanSupplier cancelled) {
				throw new CancellationException("cancelled");
			}
		};
		assertThrows(CancellationException.class, () -> runner(cancelling, false, new ArrayList<>()).run(List.of(in
			.resolve("a.tif"), in.resolve("b.tif"))));
		assertFalse(Files.exists(out.resolve("a-fake.tif")));
		assertEquals(List.of(), partials());
	}

	@Test
	void twoInputsWithOneOutputNameFailTheSecond() throws IOException {
		save(IJ.createImage("a", "8-bit ramp", 8, 8, 1), in.resolve("a.png"), 1);
		final BatchSummary summary = runner(new FakeTask(1), false, new ArrayList<>()).run(List.of(in.resolve("a.png"),
			in.resolve("a.tif")));
		assertEquals(List.of(in.resolve("a.png")), summary.done());
		assertTrue(summary.failed().get(0).reason().contains("a-fake.tif"), summary.failed().toString());
	}

	// -- Helper methods --

	private BatchRunner runner(final BatchTask task, final boolean overwrite, final List<String> notes) {
		return new BatchRunner(task, out, overwrite, new BatchListener() {

			@Override
			public void onInput(final int index, final int total, final Path file) {}

			@Override
			public void onNote(final String message) {
				notes.add(message);
			}
		}, () -> false);
	}

	private List<Path> partials() throws IOException {
		try (Stream<Path> files = Files.list(out)) {
			return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
		}
	}

	private static void save(final ImagePlus image, final Path file, final double pixelWidth) {
		final Calibration c = image.getCalibration();
		c.pixelWidth = pixelWidth;
		c.pixelHeight = pixelWidth;
		c.setUnit("um");
		if (file.toString().endsWith(".png")) new FileSaver(image).saveAsPng(file.toString());
		else IJ.saveAsTiff(image, file.toString());
	}

	/** A task that answers with a 32-bit image of the input's size, planes and calibration. */
	private static class FakeTask implements BatchTask {

		private final long seed;

		FakeTask(final long seed) {
			this.seed = seed;
		}

		@Override
		public String id() {
			return "fake";
		}

		@Override
		public Map<String, String> identity(final ImagePlus input) {
			final Map<String, String> p = new LinkedHashMap<>();
			p.put("task", "fake");
			p.put("seed", Long.toString(seed));
			return p;
		}

		@Override
		public BatchOutput run(final ImagePlus input, final BatchListener progress, final BooleanSupplier cancelled) {
			final ImageStack stack = new ImageStack(input.getWidth(), input.getHeight());
			for (int z = 1; z <= input.getStackSize(); z++) {
				progress.onProgress("fake: plane " + z, z, input.getStackSize());
				stack.addSlice(input.getStack().getProcessor(z).convertToFloat());
			}
			final ImagePlus result = new ImagePlus(input.getTitle() + "-fake", stack);
			result.setCalibration(input.getCalibration().copy());
			result.setProperty("Info", "task=fake\nseed=" + seed + "\n");
			return new BatchOutput(result, null, null);
		}
	}
}
