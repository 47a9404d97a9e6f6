package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;

/** Tests {@link RgbPlanes}. */
class RgbPlanesTest {

	@Test
	void planesFollowXYC() {
		final Img<UnsignedByteType> img = ArrayImgs.unsignedBytes(new byte[] { 1, 2, 3, 4, 5, (byte) 250 }, 2, 1, 3);
		final RgbPlanes planes = RgbPlanes.from(img);
		assertArrayEquals(new byte[] { 3, 4 }, planes.channels()[1]);
		assertEquals(250, planes.get(2, 1, 0));
		final Img<UnsignedByteType> back = planes.toImg();
		assertArrayEquals(img.dimensionsAsLongArray(), back.dimensionsAsLongArray());
		assertEquals(250, back.getAt(1, 0, 2).get());
	}

	@Test
	void offsetIntervalsAreRead() {
		final Img<UnsignedByteType> img = ArrayImgs.unsignedBytes(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, 1, 3);
		final RgbPlanes planes = RgbPlanes.from(Views.translate(img, 10, 20, 0));
		assertEquals(6, planes.get(2, 1, 0));
	}

	@Test
	void onlyRgbRastersAreAccepted() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RgbPlanes.from(ArrayImgs
			.unsignedBytes(4, 4, 4)));
		assertTrue(e.getMessage().contains("C = 3") && e.getMessage().contains("[4, 4, 4]"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> RgbPlanes.from(ArrayImgs.unsignedBytes(4, 4)));
	}
}
