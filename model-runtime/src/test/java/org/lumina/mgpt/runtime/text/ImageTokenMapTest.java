package org.lumina.mgpt.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.TokenRange;

/** Tests {@link ImageTokenMap#fromVocabulary} and {@link ImageTokenMap#contiguous}. */
class ImageTokenMapTest {

	private static final Path BUNDLE = Path.of("bundle");
	private static final TokenRange RANGE = new TokenRange(4, 515);

	/** @return IMGIMG names for codes 0..n-1 at ids first + code, plus some other tokens */
	static Map<String, Integer> vocabulary(final int first, final int n) {
		final Map<String, Integer> vocab = new HashMap<>();
		vocab.put("<s>", 0);
		vocab.put("hello", first + n + 10);
		for (int code = 0; code < n; code++) {
			vocab.put(name(code), first + code);
		}
		return vocab;
	}

	static String name(final int code) {
		final StringBuilder letters = new StringBuilder("IMGIMG");
		for (final char digit : Integer.toString(code).toCharArray()) {
			letters.append((char) ('A' + digit - '0'));
		}
		return letters.append('Z').toString();
	}

	@Test
	void namesAreDecodedAsLettersForDigits() {
		assertEquals(0, ImageTokenMap.parseCode("IMGIMGAZ"));
		assertEquals(123, ImageTokenMap.parseCode("IMGIMGBCDZ"));
		assertEquals(8191, ImageTokenMap.parseCode("IMGIMGIBJBQ")); // the last character is dropped, whatever it is
		assertEquals(-1, ImageTokenMap.parseCode("IMGIMGZ"));
		assertEquals(-1, ImageTokenMap.parseCode("IMGIMGBKZ"));
		assertEquals(-1, ImageTokenMap.parseCode("IMG"));
	}

	@Test
	void aPermutedTableIsFollowed() {
		final Map<String, Integer> vocab = vocabulary(4, 512);
		vocab.put(name(0), 5);
		vocab.put(name(1), 4);
		final ImageTokenMap map = ImageTokenMap.fromVocabulary(vocab, RANGE, 512, BUNDLE);
		assertEquals(5, map.tokenId(0));
		assertEquals(4, map.tokenId(1));
		assertEquals(1, map.code(4));
		assertEquals(511, map.code(515));
		assertTrue(map.isImageToken(515));
		assertFalse(map.isImageToken(516));
		assertThrows(IllegalArgumentException.class, () -> map.code(3));
		assertThrows(IllegalArgumentException.class, () -> map.tokenId(512));
	}

	@Test
	void duplicateCodeIsNamed() {
		final Map<String, Integer> vocab = vocabulary(4, 512);
		vocab.remove(name(7));
		vocab.put("IMGIMGDQ", 11); // code 3 again (another final letter), at the id of code 7
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocab, RANGE,
			512, BUNDLE));
		assertTrue(e.getMessage().contains("'IMGIMGDQ' (id 11) repeats code 3, already given to id 7"), e.getMessage());
	}

	@Test
	void malformedNameIsNamed() {
		final Map<String, Integer> vocab = vocabulary(4, 512);
		vocab.put("IMGIMGXYZ", 600);
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocab, RANGE,
			512, BUNDLE));
		assertTrue(e.getMessage().contains("'IMGIMGXYZ' (id 600)"), e.getMessage());
	}

	@Test
	void codeOutsideTheCodebookIsNamed() {
		final Map<String, Integer> vocab = vocabulary(4, 513);
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocab, RANGE,
			512, BUNDLE));
		assertTrue(e.getMessage().contains("code 512, outside 0..511"), e.getMessage());
	}

	@Test
	void idOutsideTheRangeIsNamed() {
		final Map<String, Integer> vocab = vocabulary(5, 512);
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocab, RANGE,
			512, BUNDLE));
		assertTrue(e.getMessage().contains("(id 516) lies outside the image token range 4..515"), e.getMessage());
	}

	@Test
	void missingCodeIsNamed() {
		final Map<String, Integer> vocab = vocabulary(4, 512);
		vocab.remove(name(300));
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocab, RANGE,
			512, BUNDLE));
		assertTrue(e.getMessage().contains("no IMGIMG token has code 300"), e.getMessage());
	}

	@Test
	void rangeAndCodebookMustAgree() {
		final ModelException e = assertThrows(ModelException.class, () -> ImageTokenMap.fromVocabulary(vocabulary(4,
			512), RANGE, 256, BUNDLE));
		assertTrue(e.getMessage().contains("512 ids but the codebook has 256 codes"), e.getMessage());
	}

	@Test
	void contiguousMapIsAnOffset() {
		final ImageTokenMap map = ImageTokenMap.contiguous(RANGE);
		assertEquals(512, map.codebookSize());
		assertEquals(104, map.tokenId(100));
		assertEquals(100, map.code(104));
	}
}
