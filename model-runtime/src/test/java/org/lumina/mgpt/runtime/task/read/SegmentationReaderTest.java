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
}
