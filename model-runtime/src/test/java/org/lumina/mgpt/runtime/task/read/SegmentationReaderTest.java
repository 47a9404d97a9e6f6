package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

class SegmentationReaderTest {

	private static final String PALETTE = "{'encoding': 'palette', 'classes': [{'name': 'background', 'rgb': [0, 0, 0]}," +
		" {'name': 'disc', 'rgb': [230, 25, 75]}]}";

	/** {@link SegmentationReader#labels}: a noisy two-class image maps to the nearest palette colour. */
	@Test
	void twoClasses() {
		final SegmentationReader reader = new SegmentationReader(AnswerImages.json(PALETTE));
		assertEquals(List.of(new PaletteClass("background", 0, 0, 0), new PaletteClass("disc", 230, 25, 75)), reader
			.classes());
		final Img<UnsignedByteType> rgb = AnswerImages.paint(40, 30, (x, y) -> {
			final int noise = (x * 7 + y * 13) % 21 - 10;
			return x >= 20 ? (230 + noise) << 16 | (25 + noise) << 8 | (75 + noise) : AnswerImages.gray(10 + noise);
		});
		final Img<UnsignedByteType> labels = reader.labels(rgb);
		final RandomAccess<UnsignedByteType> a = labels.randomAccess();
		for (int y = 0; y < 30; y++) {
			for (int x = 0; x < 40; x++) {
				a.setPosition(new int[] { x, y });
				assertEquals(x >= 20 ? 1 : 0, a.get().get(), "label at " + x + "," + y);
			}
		}
		final TaskOutput.Labels read = (TaskOutput.Labels) reader.read(rgb);
		assertEquals("disc", read.classes().get(1).name());
	}

	/** {@link SegmentationReader#SegmentationReader}: a malformed palette names the key. */
	@Test
	void badPalette() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SegmentationReader(
			AnswerImages.json("{'encoding': 'palette', 'classes': [{'name': 'a', 'rgb': [0, 300, 0]}]}")));
		assertEquals(true, e.getMessage().contains("classes[0].rgb"), e.getMessage());
	}

	private static final String THREE_CLASSES = "{'encoding': 'palette', %s'classes': [{'name': 'background', 'rgb': " +
		"[0, 0, 0]}, {'name': 'disc', 'rgb': [230, 25, 75]}, {'name': 'triangle', 'rgb': [0, 130, 200]}]}";

	/**
	 * {@code min_region_pixels}: a 3x5 sliver of a third class where background meets disc (as a VQ's blend can
	 * leave) takes the class most of its border touches; a 10x10 block of that class stays, and so does the
	 * sliver without the key.
	 */
	@Test
	void smallRegionsTakeTheirSurroundingsClass() {
		final Img<UnsignedByteType> rgb = AnswerImages.paint(40, 30, (x, y) -> {
			if (x >= 19 && x < 22 && y >= 5 && y < 10) return 130 << 8 | 200; // sliver, mostly inside the disc
			if (x >= 2 && x < 12 && y >= 15 && y < 25) return 130 << 8 | 200; // a real triangle region
			return x >= 20 ? 230 << 16 | 25 << 8 | 75 : 0;
		});
		final Img<UnsignedByteType> cleaned = new SegmentationReader(AnswerImages.json(String.format(THREE_CLASSES,
			"'min_region_pixels': 64, "))).labels(rgb);
		final Img<UnsignedByteType> raw = new SegmentationReader(AnswerImages.json(String.format(THREE_CLASSES, "")))
			.labels(rgb);
		assertEquals(1, label(cleaned, 20, 7), "the sliver joins the disc (9 of its 16 outside neighbours)");
		assertEquals(2, label(cleaned, 5, 20), "a region of 100 pixels stays");
		assertEquals(0, label(cleaned, 10, 2));
		assertEquals(2, label(raw, 20, 7), "without min_region_pixels every pixel keeps its nearest class");
	}

	/** {@link SegmentationReader#SegmentationReader}: a min_region_pixels that is not a count names the key. */
	@Test
	void badMinRegion() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SegmentationReader(
			AnswerImages.json(String.format(THREE_CLASSES, "'min_region_pixels': -3, "))));
		assertEquals(true, e.getMessage().contains("min_region_pixels"), e.getMessage());
	}

	private static int label(final Img<UnsignedByteType> labels, final int x, final int y) {
		final RandomAccess<UnsignedByteType> a = labels.randomAccess();
		a.setPosition(new int[] { x, y });
		return a.get().get();
	}
}
