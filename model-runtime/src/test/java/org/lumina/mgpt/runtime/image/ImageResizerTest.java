package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link ImageResizer} and the {@link ResizeMapping} it returns. */
class ImageResizerTest {

	/**
	 * Pillow 9.4.0: the pattern of {@link PilResamplerTest} at 40x36, BOX-halved while both sides
	 * are at least 16 (twice, to 10x9), then BICUBIC to 8x8.
	 */
	static final String PIPELINE_40X36_TO_8X8 = "103 132 111 147 110 146 100 136 131 112 116 118 116 128 110 147 129 105 132 113 138 105 121 "
		+ "113 120 127 134 118 145 119 145 115 133 145 130 144 137 147 156 129 117 123 112 132 102 131 "
		+ "110 142 119 115 116 129 117 131 114 149 133 103 133 115 134 125 124 134 129 114 131 107 133 "
		+ "111 123 126 128 121 136 116 134 115 140 103 138 151 139 138 149 144 161 129 119 139 125 143 "
		+ "122 139 125 145 118 126 118 138 111 132 110 144 142 122 142 119 124 119 114 117 156 120 142 "
		+ "107 138 116 135 115 120 137 124 126 135 132 156 115 134 148 148 133 157 145 168 122 133 164 "
		+ "146 163 140 156 150 149 120 125 116 145 106 134 105 145 136 104 130 112 128 119 116 124 128 "
		+ "115 140 105 138 107 132 106 126 141 135 132 148 140 165 121 119 143 121 153 122 141 134 138 "
		+ "114 122 106 128 100 130 105 149";

	@Test
	void pipelineEqualsPillow() {
		final ResizedImage out = ImageResizer.resize(PilResamplerTest.pattern(40, 36).toImg(), new ImageSize(8, 8));
		assertEquals(2, out.boxHalvings());
		assertArrayEquals(PilResamplerTest.samples(PIPELINE_40X36_TO_8X8), PilResamplerTest.planar(RgbPlanes.from(out
			.image())));
	}

	@Test
	void outputHasTheClosestCandidateSize() {
		final CandidateSizes sizes = CandidateSizes.forTargetSize(512);
		final ResizedImage out = ImageResizer.resize(ArrayImgs.unsignedBytes(640, 480, 3), sizes);
		assertArrayEquals(new long[] { 576, 448, 3 }, out.image().dimensionsAsLongArray());
		assertEquals(0, out.boxHalvings());
		assertEquals(new ResizeMapping(new ImageSize(640, 480), 0, 0, new ImageSize(640, 480), new ImageSize(576, 448)),
			out.mapping());
	}

	@Test
	void boxHalvingWhileBothSidesAreTwiceTheTarget() {
		assertEquals(1, ImageResizer.resize(ArrayImgs.unsignedBytes(2000, 1500, 3), new ImageSize(576, 448))
			.boxHalvings()); // 1000x750 is below 2 x 576
		assertEquals(3, ImageResizer.resize(ArrayImgs.unsignedBytes(256, 512, 3), new ImageSize(32, 64)).boxHalvings());
		// one side below twice the target: no halving, however large the other
		assertEquals(0, ImageResizer.resize(ArrayImgs.unsignedBytes(120, 63, 3), new ImageSize(32, 32)).boxHalvings());
	}

	@Test
	void constantImageStaysConstant() {
		final Img<UnsignedByteType> grey = ArrayImgs.unsignedBytes(301, 187, 3);
		grey.forEach(p -> p.set(173));
		final ResizedImage out = ImageResizer.resize(grey, CandidateSizes.forTargetSize(256));
		out.image().forEach(p -> assertEquals(173, p.get()));
	}

	@Test
	void mappingBackRestoresTheInputGeometry() {
		final ResizedImage out = ImageResizer.resize(ArrayImgs.unsignedBytes(333, 250, 3), CandidateSizes
			.forTargetSize(256));
		final ImageSize size = out.mapping().result();
		assertArrayEquals(new long[] { 333, 250 }, out.mapping().toInput(ArrayImgs.floats(size.width(), size.height()))
			.dimensionsAsLongArray());
		assertArrayEquals(new long[] { 333, 250, 3 }, out.mapping().labelsToInput(out.image()).dimensionsAsLongArray());
	}

	@Test
	void reflectPaddingBeyondFourToOneIsRemovedAgain() {
		// 300x50 (6:1) is padded to 300x75, 12 rows above; a vertical ramp of 5 per row shows where rows go
		final Img<UnsignedByteType> ramp = ArrayImgs.unsignedBytes(300, 50, 3);
		final var cursor = ramp.localizingCursor();
		while (cursor.hasNext()) {
			cursor.next().set(5 * cursor.getIntPosition(1));
		}
		final ResizedImage out = ImageResizer.resize(ramp, CandidateSizes.forTargetSize(512));
		assertEquals(new ResizeMapping(new ImageSize(300, 50), 0, 12, new ImageSize(300, 75), new ImageSize(1024, 256)),
			out.mapping());
		// the result's first row shows the mirrored input row 12, its last row the mirrored row 36
		assertEquals(60, out.image().getAt(500, 0, 0).get(), 3);
		assertEquals(180, out.image().getAt(500, 255, 0).get(), 3);
		final Img<FloatType> back = out.mapping().toInput(ImgConvert.toFloat(out.image()));
		assertArrayEquals(new long[] { 300, 50, 3 }, back.dimensionsAsLongArray());
		for (final int y : new int[] { 0, 1, 10, 25, 40, 48, 49 }) {
			assertEquals(5 * y, back.getAt(150, y, 1).get(), 4, "row " + y);
		}
	}

	@Test
	void tallImagesArePaddedLeftAndRight() {
		final ResizedImage out = ImageResizer.resize(ArrayImgs.unsignedBytes(10, 100, 3), CandidateSizes.forTargetSize(
			128));
		assertEquals(new ResizeMapping(new ImageSize(10, 100), 7, 0, new ImageSize(25, 100), new ImageSize(64, 256)),
			out.mapping());
	}

	@Test
	void reflectionDoesNotRepeatTheEdge() {
		assertEquals(1, ReflectPadding.reflect(-1, 5));
		assertEquals(3, ReflectPadding.reflect(5, 5));
		assertEquals(1, ReflectPadding.reflect(-9, 5));
		assertEquals(0, ReflectPadding.reflect(-3, 1));
	}

	@Test
	void nonRgbInputIsRefused() {
		assertThrows(IllegalArgumentException.class, () -> ImageResizer.resize(ArrayImgs.unsignedBytes(64, 64),
			new ImageSize(32, 32)));
	}
}
