package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.image.RgbImages;

class KeypointReaderTest {

	/** The convention the held-out scenes' keypoint maps are drawn with (the scorer's copy of synthetic.py's). */
	private static final Path SCENES = Path.of("..", "plugin", "src", "main", "resources", "org", "lumina", "mgpt", "cli",
		"score", "synthetic-scenes.json");
	private static final Path HELDOUT = Path.of("models", "synthetic", "heldout");

	private static final String TWO = "{'encoding': 'keypoints', 'colour_radius': 60, 'min_pixels': 6, 'keypoints': " +
		"[{'name': 'head', 'rgb': [255, 0, 0]}, {'name': 'neck', 'rgb': [255, 128, 0]}, {'name': 'pelvis', 'rgb': " +
		"[255, 255, 0]}], 'limbs': [['head', 'neck'], ['neck', 'pelvis']]}";

	/**
	 * {@link KeypointReader#read}: the committed truth map of a held-out scene gives every keypoint
	 * the scene states, within half a pixel (discs are drawn on the pixel grid), and the limbs.
	 */
	@Test
	void readsTheTruthMapOfAHeldOutScene() throws IOException {
		final ObjectMapper json = new ObjectMapper();
		final KeypointReader reader = new KeypointReader(json.readTree(SCENES.toFile()).path("truth").path("pose"));
		final TaskOutput.Keypoints read = reader.read(RgbImages.read(HELDOUT.resolve("scene000_pose.png")));
		final JsonNode truth = json.readTree(HELDOUT.resolve("scene000.json").toFile()).path("pose").path("keypoints");
		assertEquals(11, truth.size());
		assertEquals(11, read.found().size(), read.found().toString());
		for (final PaletteClass k : reader.keypoints()) {
			final Keypoint found = read.find(k.name()).orElseThrow();
			assertEquals(truth.get(k.name()).get(0).asDouble(), found.x(), 0.5, k.name() + " x");
			assertEquals(truth.get(k.name()).get(1).asDouble(), found.y(), 0.5, k.name() + " y");
		}
		assertEquals(10, read.limbs().size());
		assertEquals(new Limb("head", "neck"), read.limbs().get(0));
		assertEquals(reader.keypoints(), read.classes());
	}

	/**
	 * {@link KeypointReader#read}: a keypoint of fewer than {@code min_pixels} pixels is not found;
	 * a limb drawn in 0.45 x a keypoint's colour is not read as that keypoint; of two regions of a
	 * colour the larger one gives the keypoint, at its centroid (pixel centres), and colours within
	 * the radius count.
	 */
	@Test
	void smallDiscsAndLimbShadesAreNotKeypoints() {
		final Img<UnsignedByteType> rgb = AnswerImages.paint(40, 30, (x, y) -> {
			if (y == 2 && x >= 2 && x < 7) return 255 << 16; // 5 head pixels: under min_pixels
			if (x >= 20 && x < 24 && y >= 10 && y < 13) return 240 << 16 | 140 << 8 | 20; // 12 neck pixels, off colour
			if (x == 30 && y >= 10 && y < 17) return 255 << 16 | 128 << 8; // 7 neck pixels: the smaller region
			if (y == 25) return 115 << 16 | 115 << 8; // a limb in 0.45 x the pelvis colour
			return 0;
		});
		final TaskOutput.Keypoints read = new KeypointReader(AnswerImages.json(TWO)).read(rgb);
		assertEquals(List.of(new Keypoint("neck", 22.0, 11.5)), read.found());
		assertTrue(read.find("head").isEmpty() && read.find("pelvis").isEmpty(), read.toString());
	}

	/** {@link TaskOutput.Keypoints#toInput}: answer coordinates scale over the padded frame, the padding cut off. */
	@Test
	void mapsBackOntoTheInput() {
		// a 100 x 50 input padded by 2 columns on each side to 104 x 52, answered at 52 x 26
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(100, 50), 2, 1, new ImageSize(104, 52),
			new ImageSize(52, 26));
		final TaskOutput.Keypoints answer = new TaskOutput.Keypoints(List.of(), List.of(new Keypoint("a", 10.5, 4.25),
			new Keypoint("b", 0.5, 25.9)), List.of());
		assertEquals(List.of(new Keypoint("a", 19, 7.5), new Keypoint("b", 0, 50)), answer.toInput(mapping).found());
	}

	/** {@link KeypointReader#KeypointReader}: a malformed convention names the key. */
	@Test
	void badConventionsAreNamed() {
		for (final String[] bad : new String[][] { { "'colour_radius': 60, ", "'colour_radius': 0, ", "colour_radius" }, {
			"'min_pixels': 6", "'min_pixels': 1.5", "min_pixels" }, { "['neck', 'pelvis']", "['neck', 'hip']", "limbs[1]" },
			{ "'name': 'pelvis'", "'name': 'head'", "twice" }, { "[255, 255, 0]", "[255, 256, 0]", "keypoints[2].rgb" }, {
				"{'encoding': 'keypoints'", "{'encoding': 'palette'", "encoding" } })
		{
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeypointReader(
				AnswerImages.json(TWO.replace(bad[0], bad[1]))), bad[1]);
			assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
		}
	}
}
