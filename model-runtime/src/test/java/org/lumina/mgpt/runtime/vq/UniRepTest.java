package org.lumina.mgpt.runtime.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.TokenRange;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.text.ImageTokenMap;
import org.lumina.mgpt.runtime.text.TextTokenizer;
import org.lumina.mgpt.runtime.text.TinyTokenizer;

/** Tests {@link UniRep#encode}, {@link UniRep#tokenCount} and {@link UniRep#parse}. */
class UniRepTest {

	private static final TokenIds IDS = TinyTokenizer.IDS;
	/** A small model: 512 codes at ids 4..515, the other ids as in Chameleon. */
	private static final TokenIds SMALL = new TokenIds(0, 1, 8710, 8197, 8196, 8803, 8804, "<|image|>",
		new TokenRange(4, 515), 512);
	private static final ImageTokenMap SMALL_MAP = ImageTokenMap.contiguous(SMALL.imageTokens());

	@ParameterizedTest
	@ValueSource(ints = { 512, 768, 1024 })
	void everyCandidateSizeRoundTrips(final int target) {
		final Random random = new Random(target);
		try (TextTokenizer tokenizer = TinyTokenizer.open()) {
			final ImageTokenMap map = tokenizer.imageTokenMap();
			for (final ImageSize size : CandidateSizes.forTargetSize(target).sizes()) {
				final CodeGrid grid = randomGrid(size, 8192, random);
				final int[] tokens = UniRep.encode(grid, map, IDS);
				assertEquals(UniRep.tokenCount(size), tokens.length, size.toString());
				assertEquals(size.height() / 16 * (size.width() / 16 + 1) + 4, tokens.length);
				assertEquals(List.of(new Segment.Image(grid, size)), UniRep.parse(tokens, map, IDS), size.toString());
			}
		}
	}

	@Test
	void layoutIsStartHeightWidthRowsEnd() {
		final CodeGrid grid = new CodeGrid(2, 4, new int[] { 0, 1, 2, 3, 4, 5, 6, 7 }); // 64x32 px
		final int[] tokens = UniRep.encode(grid, SMALL_MAP, SMALL);
		assertArrayEquals(new int[] { 8197, 8805, 8806, 4, 5, 6, 7, 8803, 8, 9, 10, 11, 8803, 8196 }, tokens);
	}

	@Test
	void tokenCountsOfSquareImages() {
		assertEquals(1056 + 4, UniRep.tokenCount(new ImageSize(512, 512)));
		assertEquals(2352 + 4, UniRep.tokenCount(new ImageSize(768, 768)));
		assertEquals(4160 + 4, UniRep.tokenCount(new ImageSize(1024, 1024)));
		assertThrows(IllegalArgumentException.class, () -> UniRep.tokenCount(new ImageSize(100, 64)));
	}

	@Test
	void smallCodebookAtAnotherTargetSizeRoundTrips() {
		final Random random = new Random(7);
		for (final ImageSize size : CandidateSizes.forTargetSize(128).sizes()) {
			final CodeGrid grid = randomGrid(size, 512, random);
			final int[] tokens = UniRep.encode(grid, SMALL_MAP, SMALL);
			assertTrue(IntStream.of(tokens).filter(t -> t < 8196).allMatch(t -> t >= 4 && t <= 515));
			assertEquals(List.of(new Segment.Image(grid, size)), UniRep.parse(tokens, SMALL_MAP, SMALL));
		}
		assertThrows(IllegalArgumentException.class, () -> UniRep.encode(new CodeGrid(2, 2, new int[] { 0, 1, 2, 512 }),
			SMALL_MAP, SMALL));
	}

	@Test
	void textAroundImagesIsKept() {
		final int[] image = UniRep.encode(new CodeGrid(2, 2, new int[] { 9, 8, 7, 6 }), SMALL_MAP, SMALL);
		final int[] tokens = concat(new int[] { 9000, 9001 }, image, new int[] { 9002 }, image);
		final List<Segment> segments = UniRep.parse(tokens, SMALL_MAP, SMALL);
		assertEquals(4, segments.size());
		assertEquals(new Segment.Text(new int[] { 9000, 9001 }), segments.get(0));
		assertEquals(new ImageSize(32, 32), ((Segment.Image) segments.get(1)).size());
		assertEquals(new Segment.Text(new int[] { 9002 }), segments.get(2));
		assertInstanceOf(Segment.Image.class, segments.get(3));
		assertEquals(List.of(), UniRep.parse(new int[0], SMALL_MAP, SMALL));
	}

	@Test
	void openImageAtTheEndIsIncomplete() {
		final int[] image = UniRep.encode(new CodeGrid(4, 2, new int[8]), SMALL_MAP, SMALL); // 32x64 px
		for (int k = 1; k < image.length; k++) {
			final int[] partial = Arrays.copyOf(image, k);
			final List<Segment> segments = UniRep.parse(concat(new int[] { 9000 }, partial), SMALL_MAP, SMALL);
			assertEquals(2, segments.size(), "prefix of " + k);
			final Segment.IncompleteImage open = assertInstanceOf(Segment.IncompleteImage.class, segments.get(1));
			assertArrayEquals(partial, open.tokens());
			assertEquals(k >= 3 ? Optional.of(new ImageSize(32, 64)) : Optional.empty(), open.size(), "prefix of " + k);
			final long endsOfLine = IntStream.of(partial).filter(t -> t == 8803).count();
			assertEquals(endsOfLine, open.completeRows(), "prefix of " + k);
		}
	}

	@Test
	void anOpenImageGivesItsCodesSoFarAtFullSize() {
		final CodeGrid grid = new CodeGrid(4, 2, new int[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		final int[] image = UniRep.encode(grid, SMALL_MAP, SMALL);
		for (int k = 1; k < image.length; k++) {
			final Segment.IncompleteImage open = (Segment.IncompleteImage) UniRep.parse(Arrays.copyOf(image, k),
				SMALL_MAP, SMALL).get(0);
			if (open.completeRows() == 0) assertEquals(Optional.empty(), open.codesSoFar(SMALL_MAP), "prefix of " + k);
		}
		final int twoRows = 3 + 2 * 3;
		final Segment.IncompleteImage open = (Segment.IncompleteImage) UniRep.parse(Arrays.copyOf(image, twoRows + 1),
			SMALL_MAP, SMALL).get(0);
		assertEquals(2, open.completeRows());
		assertEquals(new CodeGrid(4, 2, new int[] { 1, 2, 3, 4, 3, 4, 3, 4 }), open.codesSoFar(SMALL_MAP).get(),
			"rows not generated yet repeat the last complete one");
	}

	@Test
	void rowTooShortIsNamed() {
		final int[] tokens = { 9000, 8197, 8805, 8805, 4, 8803, 4, 4, 8803, 8196 };
		assertMalformed(tokens, "token 5 should be an image token (4..515) for row 0, column 1", "got 8803");
	}

	@Test
	void missingEndOfLineIsNamed() {
		final int[] tokens = { 8197, 8805, 8805, 4, 4, 4, 8803, 4, 4, 8803, 8196 };
		assertMalformed(tokens, "token 5 should be end of line (8803) after the 2 codes of row 0", "got 4");
	}

	@Test
	void unknownCodeIsNamed() {
		final int[] tokens = { 8197, 8805, 8805, 4, 4, 8803, 4, 9000, 8803, 8196 };
		assertMalformed(tokens, "token 7 should be an image token (4..515) for row 1, column 1", "got 9000");
	}

	@Test
	void badSizeTokensAreNamed() {
		assertMalformed(new int[] { 8197, 8804, 8805, 4, 4, 8803, 8196 }, "token 1 should be the height size token",
			"got 8804");
		assertMalformed(new int[] { 8197, 8805, 4, 4, 4, 8803 }, "token 2 should be the width size token", "got 4");
		assertMalformed(new int[] { 8197, 4 }, "token 1 should be the height size token", "got 4");
	}

	@Test
	void missingImageEndIsNamed() {
		final int[] tokens = { 8197, 8805, 8805, 4, 4, 8803, 4, 4, 8803, 9000 };
		assertMalformed(tokens, "token 9 should be end of image (8196) after the 2 rows", "got 9000");
	}

	private static void assertMalformed(final int[] tokens, final String... parts) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UniRep.parse(tokens,
			SMALL_MAP, SMALL));
		for (final String part : parts) {
			assertTrue(e.getMessage().contains(part), e.getMessage());
		}
	}

	private static CodeGrid randomGrid(final ImageSize size, final int codebookSize, final Random random) {
		final int h = size.height() / 16;
		final int w = size.width() / 16;
		return new CodeGrid(h, w, random.ints(h * w, 0, codebookSize).toArray());
	}

	private static int[] concat(final int[]... parts) {
		return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
	}
}
