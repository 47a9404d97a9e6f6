package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link ResizeMapping#labelsToInput} and {@link ResizeMapping#toInput}. */
class ResizeMappingTest {

	/** A 4x4 input that became 2x2. */
	private static final ResizeMapping HALF = new ResizeMapping(new ImageSize(4, 4), 0, 0, new ImageSize(4, 4),
		new ImageSize(2, 2));

	@Test
	void labelsGrowIntoBlocks() {
		final Img<IntType> labels = ArrayImgs.ints(new int[] { 1, 2, 3, 4 }, 2, 2);
		final Img<IntType> back = HALF.labelsToInput(labels);
		final int[] expected = { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 };
		final int[] actual = new int[16];
		int i = 0;
		for (final IntType t : back) {
			actual[i++] = t.get();
		}
		assertArrayEquals(expected, actual);
	}

	@Test
	void continuousMapsAreInterpolatedAndClamped() {
		final Img<FloatType> map = ArrayImgs.floats(new float[] { 0, 8, 0, 8 }, 2, 2);
		final Img<FloatType> back = HALF.toInput(map);
		// input pixel centres 0.5, 1.5, 2.5, 3.5 sit at -0.25, 0.25, 0.75, 1.25 in the result
		final float[] row = new float[4];
		for (int x = 0; x < 4; x++) {
			row[x] = back.getAt(x, 1).get();
		}
		assertArrayEquals(new float[] { 0, 2, 6, 8 }, row, 1e-6f);
	}

	@Test
	void furtherDimsAreKept() {
		final Img<FloatType> map = ArrayImgs.floats(new float[] { 1, 1, 1, 1, 5, 5, 5, 5 }, 2, 2, 2);
		final Img<FloatType> back = HALF.toInput(map);
		assertArrayEquals(new long[] { 4, 4, 2 }, back.dimensionsAsLongArray());
		assertEquals(5, back.getAt(3, 3, 1).get(), 1e-6);
		assertEquals(1, HALF.labelsToInput(map).getAt(3, 3, 0).get(), 1e-6);
	}

	@Test
	void paddingIsCutOff() {
		// a 2x1 input padded to 2x2 (one row on top); the result is the padded frame at 2x2
		final ResizeMapping padded = new ResizeMapping(new ImageSize(2, 1), 0, 1, new ImageSize(2, 2), new ImageSize(2,
			2));
		final Img<IntType> labels = ArrayImgs.ints(new int[] { 9, 9, 1, 2 }, 2, 2);
		final Img<IntType> back = padded.labelsToInput(labels);
		assertArrayEquals(new long[] { 2, 1 }, back.dimensionsAsLongArray());
		assertEquals(1, back.getAt(0, 0).get());
		assertEquals(2, back.getAt(1, 0).get());
	}

	@Test
	void wrongSizeIsRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HALF.toInput(ArrayImgs
			.floats(3, 2)));
		assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("[3, 2]"), e.getMessage());
	}
}
