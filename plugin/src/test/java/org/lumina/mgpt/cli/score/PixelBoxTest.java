package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.task.read.Box;

/** Tests {@link PixelBox}. */
class PixelBoxTest {

	@Test
	void iouOfKnownOverlaps() {
		final PixelBox a = new PixelBox(0, 0, 9, 9);
		assertEquals(1.0, a.iou(new PixelBox(0, 0, 9, 9)), 1e-12);
		assertEquals(50.0 / 150, a.iou(new PixelBox(5, 0, 14, 9)), 1e-12); // half of each
		assertEquals(25.0 / 100, a.iou(new PixelBox(0, 0, 4, 4)), 1e-12); // one inside the other
		assertEquals(0.0, a.iou(new PixelBox(10, 10, 19, 19)), 1e-12);
	}

	@Test
	void readerBoxesBecomeInclusiveBounds() {
		assertEquals(new PixelBox(2, 3, 11, 7), PixelBox.of(new Box(2, 3, 10, 5)));
		assertThrows(IllegalArgumentException.class, () -> new PixelBox(5, 0, 4, 0));
	}

	/** A 512 x 512 answer of a 128 x 128 input: 4 answer pixels per input pixel. */
	@Test
	void answerBoxesMapBackOntoTheInput() {
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(128, 128), 0, 0, new ImageSize(128, 128),
			new ImageSize(512, 512));
		assertEquals(new PixelBox(1, 2, 2, 3), new PixelBox(4, 8, 11, 15).toInput(mapping));
		assertEquals(new PixelBox(0, 0, 127, 127), new PixelBox(0, 0, 511, 511).toInput(mapping));
	}

	/** Reflect padding on the left is cut off, and the box is clipped to the input. */
	@Test
	void paddingIsCutOff() {
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(100, 32), 14, 0, new ImageSize(128, 32),
			new ImageSize(128, 32));
		assertEquals(new PixelBox(0, 0, 6, 31), new PixelBox(10, 0, 20, 31).toInput(mapping));
	}
}
