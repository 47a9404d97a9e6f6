package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

class DepthReaderTest {

	private static final String BRIGHT = "{'encoding': 'grayscale', 'near': 'bright', 'scale': 'relative', 'range': [0.0, 1.0]}";

	private final Img<UnsignedByteType> ramp = AnswerImages.paint(64, 32, (x, y) -> AnswerImages.gray(x * 4));

	/** {@link DepthReader#depth}: near = bright keeps the gray level, larger = nearer. */
	@Test
	void rampNearBright() {
		final Img<FloatType> depth = new DepthReader(AnswerImages.json(BRIGHT)).depth(ramp);
		assertEquals(2, depth.numDimensions());
		final RandomAccess<FloatType> a = depth.randomAccess();
		for (int x = 0; x < 64; x++) {
			a.setPosition(new int[] { x, 7 });
			assertEquals(x * 4 / 255f, a.get().get(), 1e-6);
		}
	}

	/** {@link DepthReader#depth}: near = dark is inverted so that larger still means nearer. */
	@Test
	void rampNearDark() {
		final Img<FloatType> depth = new DepthReader(AnswerImages.json(BRIGHT.replace("bright", "dark"))).depth(ramp);
		final RandomAccess<FloatType> a = depth.randomAccess();
		a.setPosition(new int[] { 0, 0 });
		assertEquals(1f, a.get().get(), 1e-6);
		a.setPosition(new int[] { 63, 0 });
		assertEquals(1f - 252 / 255f, a.get().get(), 1e-6);
	}

	/** {@link DepthReader#DepthReader}: a wrong encoding or polarity is named. */
	@Test
	void badConvention() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DepthReader(
			AnswerImages.json("{'encoding': 'rgb'}")));
		assertTrue(e.getMessage().contains("outputs.depth.encoding"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new DepthReader(AnswerImages.json(BRIGHT.replace("bright",
			"far"))));
	}
}
