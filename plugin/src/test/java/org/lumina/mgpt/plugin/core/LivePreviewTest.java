package org.lumina.mgpt.plugin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.task.TaskCatalog;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;

/** {@link LivePreview} on a real generation of the tiny bundle, with a clock the test drives. */
class LivePreviewTest {

	private static final Path TINY = Path.of("..", "model-runtime", "models", "tiny-random");

	/** One frame. */
	private record Frame(int width, int height, int rowsDone, int rowsTotal, int brightestBelowDone, boolean closed) {}

	@Test
	void framesFillInRowByRowAtMostEveryTwoSecondsAndProgressHearsEveryRow() {
		final List<Frame> frames = new ArrayList<>();
		final boolean[] closed = { false };
		final long[] now = { 0 };
		try (Model model = Model.open(TINY, new ModelOptions(Device.CPU, 1, false))) {
			// NB: each completed row moves the clock by 0.7 s, so at most every third row refreshes
			final LivePreview preview = new LivePreview(model.vqDecoder(), model.tokenizer().imageTokenMap(), model
				.manifest().tokens(), new LivePreview.Frames() {

					@Override
					public void show(final ColorProcessor frame, final int rowsDone, final int rowsTotal) {
						frames.add(new Frame(frame.getWidth(), frame.getHeight(), rowsDone, rowsTotal, brightest(frame,
							rowsDone * 16), closed[0]));
					}

					@Override
					public void close() {
						closed[0] = true;
					}
				}, () -> now[0] += 700_000_000L);
			final ShortProcessor plane = new ShortProcessor(64, 48);
			for (int i = 0; i < 64 * 48; i++) plane.set(i, 300 + i);
			final TaskRequest request = new TaskRequest(TaskCatalog.standard().get("depth"), new ImagePlus("in", plane), Map
				.of(), null, null, null, false, 0.4, 3L);
			final List<int[]> rowUpdates = new ArrayList<>();
			final Progress progress = new Progress() {

				@Override
				public void update(final String phase, final int done, final int total) {}

				@Override
				public void imageRows(final int done, final int total) {
					rowUpdates.add(new int[] { done, total });
				}
			};
			final TaskResult result;
			try (preview) {
				result = new TaskRunner(model).run(request, progress, () -> false, preview);
			}
			for (int r = 0; r < rowUpdates.size(); r++) {
				assertEquals(r + 1, rowUpdates.get(r)[0], "the progress hears of every image row, in order");
			}
			assertEquals(rowUpdates.get(0)[1], rowUpdates.size(), "up to the last row");
			assertTrue(closed[0], "closed when the generation ended");
			assertEquals(1, result.images().size(), "the real result follows the preview");
			final int rows = frames.isEmpty() ? 0 : frames.get(0).rowsTotal();
			assertTrue(!frames.isEmpty() && frames.size() <= rows / 3 + 1, frames.size() + " frames for " + rows + " rows");
			int lastRows = 0;
			for (final Frame f : frames) {
				assertEquals(rows * 16, f.height(), "the frame has the answer image's size");
				assertTrue(f.rowsDone() > lastRows && f.rowsDone() < rows, "rows done grow: " + frames);
				assertTrue(f.brightestBelowDone() <= 127, "rows not generated yet are dimmed: " + f);
				assertTrue(!f.closed(), "no frame after close");
				lastRows = f.rowsDone();
			}
		}
	}

	private static int brightest(final ColorProcessor frame, final int y0) {
		int max = 0;
		final int[] pixels = (int[]) frame.getPixels();
		for (int i = y0 * frame.getWidth(); i < pixels.length; i++) {
			max = Math.max(max, Math.max(pixels[i] >> 16 & 0xFF, Math.max(pixels[i] >> 8 & 0xFF, pixels[i] & 0xFF)));
		}
		return max;
	}
}
