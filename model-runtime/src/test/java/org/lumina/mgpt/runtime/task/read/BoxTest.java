package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.ResizeMapping;

/** Tests {@link Box#toInput}. */
class BoxTest {

	/** A 512 x 512 answer of a 128 x 128 input: 4 answer pixels per input pixel. */
	private static final ResizeMapping FOUR_TIMES = new ResizeMapping(new ImageSize(128, 128), 0, 0, new ImageSize(
		128, 128), new ImageSize(512, 512));

	@Test
	void answerBoxesScaleOntoTheInput() {
		assertEquals(Optional.of(new Box(1, 2, 2, 2)), new Box(4, 8, 8, 8).toInput(FOUR_TIMES));
		assertEquals(Optional.of(new Box(0, 0, 128, 128)), new Box(0, 0, 512, 512).toInput(FOUR_TIMES));
		// edges round to the nearest input pixel edge: [5/4, 11/4) -> [1, 3)
		assertEquals(Optional.of(new Box(1, 1, 2, 2)), new Box(5, 5, 6, 6).toInput(FOUR_TIMES));
	}

	/** A box narrower than an input pixel still covers one. */
	@Test
	void smallBoxesKeepAPixel() {
		assertEquals(Optional.of(new Box(127, 0, 1, 1)), new Box(511, 0, 1, 1).toInput(FOUR_TIMES));
	}

	/** A 32 x 16 input answered at 64 x 32: one input pixel is two answer pixels. */
	@Test
	void upscaledInputsShrinkTheirBoxes() {
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(32, 16), 0, 0, new ImageSize(32, 16),
			new ImageSize(64, 32));
		assertEquals(Optional.of(new Box(5, 2, 3, 4)), new Box(10, 4, 6, 8).toInput(mapping));
	}

	/** Reflect padding on the left is cut off, the box is clipped to the input, a box in the padding alone is none. */
	@Test
	void paddingIsCutOff() {
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(100, 32), 14, 0, new ImageSize(128, 32),
			new ImageSize(128, 32));
		assertEquals(Optional.of(new Box(0, 0, 7, 32)), new Box(10, 0, 11, 32).toInput(mapping));
		assertEquals(Optional.of(new Box(86, 0, 14, 32)), new Box(100, 0, 28, 32).toInput(mapping));
		assertEquals(Optional.empty(), new Box(0, 0, 14, 32).toInput(mapping));
		assertEquals(Optional.empty(), new Box(114, 4, 14, 8).toInput(mapping));
	}

	@Test
	void sidesMustBePositive() {
		assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, 0, 1));
	}
}
