package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link CandidateSizes}. */
class CandidateSizesTest {

	/** Spec §2.2, target 512, copied verbatim. */
	private static final String LIST_512 = "1024x256 992x256 960x256 928x256 896x256 896x288 864x288 832x288 800x288 " +
		"800x320 768x320 736x320 736x352 704x352 672x352 672x384 640x384 608x384 608x416 576x416 576x448 544x448 " +
		"544x480 512x480 512x512 480x512 480x544 448x544 448x576 416x576 416x608 384x608 384x640 384x672 352x672 " +
		"352x704 352x736 320x736 320x768 320x800 288x800 288x832 288x864 288x896 256x896 256x928 256x960 256x992 " +
		"256x1024";

	/** Spec §2.2, target 768, copied verbatim. */
	private static final String LIST_768 = "1536x384 1504x384 1472x384 1440x384 1408x384 1408x416 1376x416 1344x416 " +
		"1312x416 1312x448 1280x448 1248x448 1216x448 1216x480 1184x480 1152x480 1152x512 1120x512 1088x512 1056x512 " +
		"1056x544 1024x544 1024x576 992x576 960x576 960x608 928x608 896x608 896x640 864x640 864x672 832x672 832x704 " +
		"800x704 800x736 768x736 768x768 736x768 736x800 704x800 704x832 672x832 672x864 640x864 640x896 608x896 " +
		"608x928 608x960 576x960 576x992 576x1024 544x1024 544x1056 512x1056 512x1088 512x1120 512x1152 480x1152 " +
		"480x1184 480x1216 448x1216 448x1248 448x1280 448x1312 416x1312 416x1344 416x1376 416x1408 384x1408 384x1440 " +
		"384x1472 384x1504 384x1536";

	/** Derived by hand from the algorithm for 16 patches. */
	private static final String LIST_128 = "256x64 224x64 192x64 160x64 160x96 128x96 128x128 96x128 96x160 64x160 " +
		"64x192 64x224 64x256";

	private static List<ImageSize> parse(final String list) {
		return Arrays.stream(list.split(" ")).map(ImageSize::parse).collect(Collectors.toList());
	}

	@Test
	void listsEqualTheSpec() {
		assertEquals(parse(LIST_512), CandidateSizes.forTargetSize(512).sizes());
		assertEquals(parse(LIST_768), CandidateSizes.forTargetSize(768).sizes());
		assertEquals(parse(LIST_128), CandidateSizes.forTargetSize(128).sizes());
	}

	@Test
	void list1024() {
		final List<ImageSize> sizes = CandidateSizes.forTargetSize(1024).sizes();
		assertEquals(97, sizes.size());
		assertEquals(new ImageSize(2048, 512), sizes.get(0));
		assertEquals(new ImageSize(512, 2048), sizes.get(96));
		assertTrue(sizes.contains(new ImageSize(1024, 1024)));
		for (final ImageSize s : sizes) {
			assertTrue(s.width() * s.height() <= 1024 * 1024 && Math.max(s.width(), s.height()) <= 4 * Math.min(s
				.width(), s.height()), s.toString());
		}
	}

	@Test
	void nonStandardTargetsWork() {
		final CandidateSizes sizes = CandidateSizes.forTargetSize(256);
		assertEquals(25, sizes.sizes().size());
		assertEquals(new ImageSize(512, 128), sizes.sizes().get(0));
		assertTrue(sizes.contains(new ImageSize(256, 256)));
		assertFalse(sizes.contains(new ImageSize(512, 512)));
		assertEquals(256, sizes.targetSize());
	}

	@Test
	void badTargetsAreRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CandidateSizes
			.forTargetSize(500));
		assertTrue(e.getMessage().contains("targetSize") && e.getMessage().contains("500"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> CandidateSizes.forTargetSize(0));
	}

	@Test
	void closestMatchesTheAspectRatio() {
		final CandidateSizes sizes = CandidateSizes.forTargetSize(512);
		assertEquals(new ImageSize(512, 512), sizes.closest(1000, 1000));
		assertEquals(new ImageSize(512, 512), sizes.closest(7, 7));
		// 4:3 -> 576x448 (score 0.9643) beats 576x416 (0.9630)
		assertEquals(new ImageSize(576, 448), sizes.closest(640, 480));
		assertEquals(new ImageSize(672, 384), sizes.closest(1920, 1080));
		assertEquals(new ImageSize(608, 416), sizes.closest(300, 200));
		assertEquals(new ImageSize(416, 608), sizes.closest(200, 300));
		// beyond 4:1 the most elongated candidate wins
		assertEquals(new ImageSize(1024, 256), sizes.closest(3000, 200));
		assertEquals(new ImageSize(256, 1024), sizes.closest(100, 1000));
		assertThrows(IllegalArgumentException.class, () -> sizes.closest(0, 10));
	}

	@Test
	void tiesGoToTheLargerSizeTuple() {
		// equal aspect ratios tie exactly; Python's reverse sort prefers the larger (w, h)
		final CandidateSizes sizes = new CandidateSizes(128, parse("64x64 128x128 96x96 64x32 128x64"));
		assertEquals(new ImageSize(128, 128), sizes.closest(10, 10));
		assertEquals(new ImageSize(128, 64), sizes.closest(20, 10));
	}

	@Test
	void heightsAndWidthsForSizeTokens() {
		final CandidateSizes sizes = CandidateSizes.forTargetSize(128);
		assertEquals(List.of(64, 96, 128, 160, 192, 224, 256), sizes.heightsThatFit());
		assertEquals(List.of(160, 192, 224, 256), sizes.widthsFor(64));
		assertEquals(List.of(128, 160), sizes.widthsFor(96));
		assertEquals(List.of(64), sizes.widthsFor(256));
		assertEquals(List.of(), sizes.widthsFor(100));
	}
}
