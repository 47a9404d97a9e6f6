package org.lumina.mgpt.e2e.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.process.ShortProcessor;

/**
 * Installs the release zip into a temporary app folder, runs the macros of {@code macros/} from
 * there in real headless ImageJ 1 ({@link HeadlessImageJ}) with the tiny bundle, and checks what
 * they wrote: the exit code says nothing (a failing macro exits 0).
 */
class MacrosTest {

	@TempDir
	static Path app;

	@TempDir
	Path work;

	@BeforeAll
	static void installRelease() throws Exception {
		ReleaseZip.install(ReleaseZip.find(home()), app);
	}

	/** The zip holds the plugin, every library it needs once, and both bundled models; not ImageJ. */
	@Test
	void releaseZipHasTheFijiLayout() throws Exception {
		assertTrue(Files.isRegularFile(app.resolve("plugins/Lumina_mGPT.jar")));
		assertTrue(Files.isRegularFile(app.resolve("lumina-models/tiny-random/lumina-model.json")));
		assertFalse(Files.exists(app.resolve("lumina-models/tiny-random/.verified")), "no checksum cache of the build");
		for (final String family : new String[] { "image_to_image", "text_to_image" }) {
			assertTrue(Files.isRegularFile(app.resolve("lumina-models/synthetic/" + family + "/lumina-model.json")), family);
			assertFalse(Files.exists(app.resolve("lumina-models/synthetic/" + family + "/.verified")), family);
		}
		assertFalse(Files.exists(app.resolve("lumina-models/synthetic/heldout")), "the score tests' scenes stay home");
		final List<String> jars;
		try (Stream<Path> files = Files.list(app.resolve("jars"))) {
			jars = files.map(p -> p.getFileName().toString()).sorted().toList();
		}
		for (final String needed : new String[] { "lumina-model-runtime-", "onnxruntime-", "tokenizers-", "picocli-",
			"scijava-common-", "imglib2-", "jackson-databind-" })
		{
			assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " missing from " + jars);
		}
		assertTrue(jars.stream().noneMatch(j -> j.matches("ij-[0-9].*")), "ImageJ itself is not shipped: " + jars);
		final List<String> artifacts = jars.stream().map(j -> j.replaceAll("-[0-9][^-]*(-SNAPSHOT)?\\.jar$", ""))
			.toList();
		assertEquals(artifacts.stream().distinct().count(), artifacts.size(), "one version of each library: " + jars);
	}

	/** depth-on-open-image.ijm: a depth map of the image's size and calibration, a "depth" layer. */
	@Test
	void depthOnOpenImage() throws Exception {
		final ImagePlus input = new ImagePlus("in", ramp(64, 48));
		input.getCalibration().pixelWidth = 0.5;
		input.getCalibration().pixelHeight = 0.5;
		input.getCalibration().setUnit("micron");
		final Path in = work.resolve("in.tif");
		IJ.saveAsTiff(input, in.toString());

		// NB: no model_dir: the plugin finds the demo model in the app's lumina-models/
		final String log = runMacro("depth-on-open-image.ijm", "image=" + in, false);
		final ImagePlus depth = open("depth.tif", log);
		assertEquals(64, depth.getWidth(), log);
		assertEquals(48, depth.getHeight(), log);
		assertEquals(0.5, depth.getCalibration().pixelWidth, 1e-9);
		assertEquals(input.getCalibration().getUnit(), depth.getCalibration().getUnit());
		// the default model is a folder of bundles: depth runs on its image-to-image one
		assertTrue(depth.getInfoProperty().contains("synthetic-image_to_image"), depth.getInfoProperty());
		assertEquals(List.of("depth"), layerNames("overlay-layers.txt", log));
		assertEquals(1, open("image-with-overlay.tif", log).getOverlay().size());
	}

	/** segment-every-plane.ijm: one label plane and one "segmentation" layer per plane, a table. */
	@Test
	void segmentEveryPlane() throws Exception {
		final String log = runMacro("segment-every-plane.ijm", "", true);
		final ImagePlus labels = open("labels.tif", log);
		assertEquals(3, labels.getStackSize(), log);
		assertEquals(64, labels.getWidth());
		assertEquals(48, labels.getHeight());
		assertEquals(0.5, labels.getCalibration().pixelWidth, 1e-9);
		assertEquals(List.of("segmentation", "segmentation", "segmentation"), layerNames("overlay-layers.txt", log));
		final Overlay overlay = open("stack-with-overlay.tif", log).getOverlay();
		assertEquals(3, overlay.size());
		for (int i = 0; i < 3; i++) assertEquals(i + 1, overlay.get(i).getPosition(), "layer " + i + "'s plane");
		assertTrue(Files.isRegularFile(work.resolve("out/areas.csv")), log);
	}

	/** text-to-image-two-aspect-ratios.ijm: a landscape and a portrait image of the sizes asked. */
	@Test
	void textToImageTwoAspectRatios() throws Exception {
		final String log = runMacro("text-to-image-two-aspect-ratios.ijm", "", true);
		final ImagePlus wide = open("t2i-1024x256.tif", log);
		assertEquals(1024, wide.getWidth(), log);
		assertEquals(256, wide.getHeight(), log);
		final ImagePlus tall = open("t2i-256x1024.tif", log);
		assertEquals(256, tall.getWidth(), log);
		assertEquals(1024, tall.getHeight(), log);
	}

	/** batch-folder.ijm: one depth result per image of the folder, with the task in its Info. */
	@Test
	void batchFolder() throws Exception {
		final Path images = Files.createDirectories(work.resolve("images"));
		IJ.saveAsTiff(new ImagePlus("a", ramp(40, 32)), images.resolve("a.tif").toString());
		final String log = runMacro("batch-folder.ijm", "input=" + images, true);
		final ImagePlus depth = open("a-depth.tif", log);
		assertEquals(40, depth.getWidth(), log);
		assertEquals(32, depth.getHeight(), log);
		assertTrue(depth.getInfoProperty().contains("task=depth"), depth.getInfoProperty());
	}

	// -- Helper methods --

	/** @return the child JVM's output */
	private String runMacro(final String name, final String extraArguments, final boolean givenModel)
		throws Exception
	{
		final Path out = Files.createDirectories(work.resolve("out"));
		final String model = givenModel ? " model_dir=" + tinyBundle() : "";
		final String argument = ("output=" + out + model + " " + extraArguments).trim();
		return new HeadlessImageJ(app).run(home().resolve("macros").resolve(name), argument, work.resolve(
			"imagej.log")).output();
	}

	private ImagePlus open(final String name, final String log) {
		final Path file = work.resolve("out").resolve(name);
		assertTrue(Files.isRegularFile(file), name + " was not written; ImageJ said:\n" + log);
		final ImagePlus imp = IJ.openImage(file.toString());
		assertNotNull(imp, name);
		return imp;
	}

	/** @return the overlay layer names the macro wrote, one a line */
	private List<String> layerNames(final String name, final String log) throws java.io.IOException {
		final Path file = work.resolve("out").resolve(name);
		assertTrue(Files.isRegularFile(file), name + " was not written; ImageJ said:\n" + log);
		return new ArrayList<>(Files.readAllLines(file));
	}

	private static ShortProcessor ramp(final int width, final int height) {
		final ShortProcessor sp = new ShortProcessor(width, height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) sp.set(x, y, 100 + x * 50 + y * 20);
		}
		return sp;
	}

	private static Path home() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
	}

	private static Path tinyBundle() {
		return home().resolve("model-runtime/models/tiny-random");
	}
}
