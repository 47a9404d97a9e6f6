package org.lumina.mgpt.plugin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.task.TaskCatalog;

/** {@link TaskRunner} on the committed tiny random bundle (its answers are noise; the pipeline is real). */
class TaskRunnerTest {

	private static final Path TINY = Path.of("..", "model-runtime", "models", "tiny-random");
	private static final TaskCatalog TASKS = TaskCatalog.standard();

	private static Model model;
	private static TaskRunner runner;

	@BeforeAll
	static void open() {
		model = Model.open(TINY, new ModelOptions(Device.CPU, 1, false));
		runner = new TaskRunner(model, TINY, "cpu");
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static ImagePlus image16(final int w, final int h) {
		final ShortProcessor sp = new ShortProcessor(w, h);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) sp.set(x, y, 300 + 17 * x + 40 * y);
		final ImagePlus image = new ImagePlus("cells.tif", sp);
		final Calibration cal = image.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.25;
		cal.setUnit("micron");
		return image;
	}

	private static TaskRequest request(final String task, final ImagePlus input, final Map<String, String> fields,
		final ConvertOptions convert, final boolean overlay)
	{
		return new TaskRequest(TASKS.get(task), input, fields, convert, null, null, overlay, 0.4, 7L);
	}

	private static TaskResult run(final TaskRequest request) {
		return runner.run(request, Progress.NONE, () -> false, TokenListener.NONE);
	}

	/** A copy of every plane's pixels, to check the input afterwards. */
	private static Object[] pixels(final ImagePlus image) {
		final Object[] copy = new Object[image.getStackSize()];
		for (int i = 0; i < copy.length; i++) copy[i] = image.getStack().getProcessor(i + 1).duplicate().getPixels();
		return copy;
	}

	private static void assertPixelsUnchanged(final Object[] before, final ImagePlus image) {
		final Object[] after = pixels(image);
		assertEquals(before.length, after.length);
		for (int i = 0; i < before.length; i++) {
			if (before[i] instanceof short[] s) assertArrayEquals(s, (short[]) after[i]);
			else if (before[i] instanceof byte[] b) assertArrayEquals(b, (byte[]) after[i]);
			else if (before[i] instanceof int[] n) assertArrayEquals(n, (int[]) after[i]);
			else assertArrayEquals((float[]) before[i], (float[]) after[i]);
		}
	}

	/** Depth on a 16-bit image: a 32-bit image of the input's size, calibration and provenance. */
	@Test
	void depthSixteenBit() {
		final ImagePlus input = image16(64, 48);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("depth", input, Map.of(), null, false));
		assertEquals(1, result.images().size());
		final ImagePlus depth = result.images().get(0);
		assertEquals(32, depth.getBitDepth());
		assertEquals(64, depth.getWidth());
		assertEquals(48, depth.getHeight());
		assertEquals(1, depth.getStackSize());
		assertEquals("cells-depth", depth.getTitle());
		assertEquals(0.5, depth.getCalibration().pixelWidth);
		assertEquals(0.25, depth.getCalibration().pixelHeight);
		assertEquals("micron", depth.getCalibration().getUnit());
		final float[] values = (float[]) depth.getProcessor().getPixels();
		for (final float v : values) assertTrue(v >= 0 && v <= 1, "relative depth in [0, 1], got " + v);
		final String info = depth.getInfoProperty();
		assertNotNull(info);
		for (final String line : List.of("model=tiny-random", "task=depth", "prompt=Depth estimation. <|image|>",
			"seed=7", "cfg=1.0", "image_top_k=200", "text_top_k=10", "temperature=1.0", "top_p=1.0", "device=cpu",
			"input=cells.tif"))
		{
			assertTrue(info.contains(line + "\n"), "Info has " + line + ":\n" + info);
		}
		for (final String key : List.of("model_dir", "model_sha256", "engine_version", "elapsed_s", "preprocess")) {
			assertTrue(info.contains("\n" + key + "="), "Info has " + key + ":\n" + info);
		}
		assertTrue(result.provenance().get("preprocess").contains("percentiles=1.0,99.8"), result.provenance().get(
			"preprocess"));
		assertEquals("depth", depth.getProp("lumina.task"));
		assertEquals(model.manifest().files().decoder().sha256(), depth.getProp("lumina.model_sha256"));
		assertFalse(result.notices().stream().anyMatch(n -> n.contains("unknown")), result.notices().toString());
		assertPixelsUnchanged(before, input);
		assertNull(input.getOverlay());
	}

	/** Depth on a 3-plane stack with allPlanes: a 3-slice output. */
	@Test
	void depthStackAllPlanes() {
		final ImageStack stack = new ImageStack(32, 24);
		for (int z = 0; z < 3; z++) {
			final ByteProcessor bp = new ByteProcessor(32, 24);
			for (int i = 0; i < 32 * 24; i++) bp.set(i, (i * (z + 3)) % 256);
			stack.addSlice(bp);
		}
		final ImagePlus input = new ImagePlus("stack", stack);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("depth", input, Map.of(), ConvertOptions.defaults().withAllPlanes(true),
			true));
		final ImagePlus depth = result.images().get(0);
		assertEquals(3, depth.getStackSize());
		assertEquals(3, depth.getNSlices());
		assertEquals(32, depth.getWidth());
		assertPixelsUnchanged(before, input);
		assertEquals(3, input.getOverlay().size());
		for (int z = 1; z <= 3; z++) assertEquals(z, input.getOverlay().get(z - 1).getPosition());
	}

	/** A selection: an output of the selection's size, the layer placed at the selection. */
	@Test
	void selectionAndOverlay() {
		final ImagePlus input = image16(64, 48);
		input.setRoi(new Roi(10, 8, 32, 24));
		final Object[] before = pixels(input);
		final TaskResult result = run(request("depth", input, Map.of(), null, true));
		final ImagePlus depth = result.images().get(0);
		assertEquals(32, depth.getWidth());
		assertEquals(24, depth.getHeight());
		assertEquals(-10, depth.getCalibration().xOrigin);
		assertEquals(-8, depth.getCalibration().yOrigin);
		assertEquals(1, input.getOverlay().size());
		final Roi layer = input.getOverlay().get(0);
		assertInstanceOf(ImageRoi.class, layer);
		assertEquals("depth", layer.getName());
		assertEquals(new Rectangle(10, 8, 32, 24), layer.getBounds());
		assertEquals(0.4, ((ImageRoi) layer).getOpacity(), 1e-6);
		assertPixelsUnchanged(before, input);
		assertTrue(result.provenance().get("preprocess").contains("selection=10,8 32x24"));
	}

	/** Segmentation: a label image with the palette LUT and a table whose areas cover the image. */
	@Test
	void segmentation() {
		final ImagePlus input = image16(64, 48);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("segmentation", input, Map.of(), null, false));
		final ImagePlus labels = result.images().get(0);
		assertEquals(8, labels.getBitDepth());
		assertEquals(64, labels.getWidth());
		final ResultsTable table = result.table();
		assertNotNull(table);
		assertEquals(6, table.size());
		assertEquals("background", table.getStringValue("class", 0));
		double pixels = 0;
		double area = 0;
		for (int row = 0; row < table.size(); row++) {
			pixels += table.getValue("pixels", row);
			area += table.getValue("area", row);
		}
		assertEquals(64 * 48, pixels);
		assertEquals(64 * 48 * 0.5 * 0.25, area, 1e-9);
		assertEquals("micron^2", table.getStringValue("unit", 0));
		final ImageProcessor ip = labels.getProcessor();
		for (int i = 0; i < ip.getPixelCount(); i++) assertTrue(ip.get(i) < 6);
		assertEquals(230, ip.getLut().getRed(1));
		assertPixelsUnchanged(before, input);
	}

	/** Pose ("unknown" in the tiny bundle): the RGB answer image plus a notice, no numbers. */
	@Test
	void poseUnknown() {
		final ImagePlus input = image16(64, 48);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("pose", input, Map.of(), null, true));
		final ImagePlus pose = result.images().get(0);
		assertEquals(ImagePlus.COLOR_RGB, pose.getType());
		assertEquals(64, pose.getWidth());
		assertEquals(48, pose.getHeight());
		assertTrue(result.notices().stream().anyMatch(n -> n.contains("unknown")), result.notices().toString());
		assertNull(result.table());
		assertEquals("pose", input.getOverlay().get(0).getName());
		assertPixelsUnchanged(before, input);
	}

	/** Text to image with a size: an RGB image of that size; given params are used (seed and size set). */
	@Test
	void textToImage() {
		final ImageSize size = model.candidateSizes().sizes().get(0);
		// NB: guidance off halves the work of this test
		final GenerationParams params = GenerationParams.defaults().withCfg(1.0).withMaxNewTokens(2000);
		final TaskResult result = runner.run(new TaskRequest(TASKS.get("t2i"), null, Map.of("caption", "a red disc"),
			null, params, size, false, 0.5, 3L), Progress.NONE, () -> false, TokenListener.NONE);
		final ImagePlus image = result.images().get(0);
		assertEquals(ImagePlus.COLOR_RGB, image.getType());
		assertEquals(size.width(), image.getWidth());
		assertEquals(size.height(), image.getHeight());
		assertEquals("t2i", image.getProp("lumina.task"));
		assertEquals("1.0", result.provenance().get("cfg"));
		assertEquals("3", result.provenance().get("seed"));
		assertEquals(size.toString(), result.provenance().get("model_size"));
		assertTrue(result.provenance().get("prompt").startsWith("Generate an image of " + size.width() + "x" + size
			.height()), result.provenance().get("prompt"));
	}

	/** Cancellation throws and leaves the input as it was. */
	@Test
	void cancelled() {
		final ImagePlus input = image16(64, 48);
		final int[] polls = { 0 };
		assertThrows(CancellationException.class, () -> runner.run(request("depth", input, Map.of(), null, true),
			Progress.NONE, () -> ++polls[0] > 20, TokenListener.NONE));
		assertNull(input.getOverlay());
	}

	/** Sizes that are not candidates are refused with the list. */
	@Test
	void badSize() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(
			new TaskRequest(TASKS.get("t2i"), null, Map.of("caption", "x"), null, null, new ImageSize(96, 32), false, 0.5,
				0L), Progress.NONE, () -> false, TokenListener.NONE));
		assertTrue(e.getMessage().contains("candidates are"), e.getMessage());
	}

	/** Detect: the answer as an RGB image and layer; boxes, if the model drew any, as named ROIs. */
	@Test
	void detect() {
		final ImagePlus input = image16(64, 48);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("detect", input, Map.of("object", "cell"), null, true));
		final ImagePlus image = result.images().get(0);
		assertEquals(ImagePlus.COLOR_RGB, image.getType());
		assertEquals(64, image.getWidth());
		assertEquals("detect", input.getOverlay().get(0).getName());
		assertEquals(1 + result.rois().size(), input.getOverlay().size(), "the layer, then the boxes above it");
		for (int k = 0; k < result.rois().size(); k++) {
			final Roi box = result.rois().get(k);
			final Roi onInput = input.getOverlay().get(k + 1);
			assertNotSame(box, onInput, "the overlay holds its own copy");
			assertEquals(box.getName(), onInput.getName());
			assertEquals(box.getBounds(), onInput.getBounds());
			assertEquals("cell " + (k + 1), box.getName());
			assertTrue(new Rectangle(0, 0, 64, 48).contains(box.getBounds()), box.getBounds().toString());
		}
		assertTrue(result.provenance().get("prompt").startsWith("Detect: cell"));
		assertPixelsUnchanged(before, input);
	}

	/** Ask, continuing a stored conversation: the answer is text, the conversation grows by one pair. */
	@Test
	void askContinuesConversation() {
		final ImagePlus input = image16(64, 48);
		input.setProp(Conversation.PROPERTY, "[\"What is this?\",\"Cells.\"]");
		final Object[] before = pixels(input);
		final GenerationParams params = GenerationParams.defaults().withMaxNewTokens(16);
		final TaskResult result = runner.run(new TaskRequest(TASKS.get("ask"), input, Map.of("question", "How many?",
			"new_conversation", "false"), null, params, null, false, 0.5, 1L), Progress.NONE, () -> false, TokenListener.NONE);
		assertTrue(result.images().isEmpty());
		assertEquals(1, result.table().size());
		assertEquals("ask", result.table().getStringValue("task", 0));
		assertEquals("How many?", result.table().getStringValue("prompt", 0));
		final List<String> turns = Conversation.read(input);
		assertEquals(List.of("What is this?", "Cells.", "How many?", result.text()), turns);
		assertPixelsUnchanged(before, input);
		assertNull(input.getOverlay());
	}

	/** Normals: a 3-channel 32-bit composite of unit vectors in the input's geometry. */
	@Test
	void normals() {
		final ImagePlus input = image16(64, 48);
		final Object[] before = pixels(input);
		final TaskResult result = run(request("normals", input, Map.of(), null, false));
		final ImagePlus normals = result.images().get(0);
		assertTrue(normals.isComposite());
		assertEquals(3, normals.getNChannels());
		assertEquals(32, normals.getBitDepth());
		assertEquals(64, normals.getWidth());
		assertEquals(48, normals.getHeight());
		final float[][] c = new float[3][];
		for (int k = 0; k < 3; k++) c[k] = (float[]) normals.getStack().getProcessor(k + 1).getPixels();
		for (int i = 0; i < c[0].length; i++) {
			assertEquals(1, Math.sqrt(c[0][i] * c[0][i] + c[1][i] * c[1][i] + c[2][i] * c[2][i]), 1e-4);
		}
		assertEquals("normals", normals.getProp("lumina.task"));
		assertPixelsUnchanged(before, input);
	}
}
