package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

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
}
