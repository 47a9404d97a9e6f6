package org.lumina.mgpt.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tests {@link ChatTemplate} against the tiny bundle's real tokenizer. */
class ChatTemplateTest {

	private static TextTokenizer tokenizer;
	private static ChatTemplate template;

	/** A 32x32 px Uni-Rep image: start, two size tokens, 2 rows of 2 codes + eol, end. */
	private static final int[] IMAGE_A = { 8197, 8805, 8805, 10, 11, 8803, 12, 13, 8803, 8196 };
	private static final int[] IMAGE_B = { 8197, 8805, 8806, 20, 21, 22, 23, 8803, 24, 25, 26, 27, 8803, 8196 };

	@BeforeAll
	static void open() {
		tokenizer = TinyTokenizer.open();
		template = new ChatTemplate(tokenizer);
	}

	@AfterAll
	static void close() {
		tokenizer.close();
	}

	@Test
	void singleTurnIsBosPromptSeparator() {
		final String prompt = "Generate an image of 512x512 according to the following prompt:\na red disc";
		final int[] expected = concat(new int[] { 0 }, tokenizer.encode(prompt + "<reserved08706>"));
		assertArrayEquals(expected, template.encode(prompt, List.of()));
		assertEquals(8710, expected[expected.length - 1]);
	}

	@Test
	void imageIsSplicedAtItsPlaceholder() {
		final int[] ids = template.encode("Depth estimation. <|image|>", List.of(IMAGE_A));
		final int[] text = tokenizer.encode("Depth estimation. ");
		assertArrayEquals(concat(new int[] { 0 }, text, IMAGE_A, new int[] { 8710 }), ids);
	}

	@Test
	void imagesWithoutPlaceholderArePrependedToTheFirstTurn() {
		final int[] ids = template.encode("Describe the image in detail.", List.of(IMAGE_A, IMAGE_B));
		// the reference tokenizes "<|image|> <|image|> Describe ..." in one pass
		final int[] encoded = tokenizer.encode("<|image|> <|image|> Describe the image in detail.<reserved08706>");
		assertArrayEquals(splice(encoded, IMAGE_A, IMAGE_B), ids);
		assertArrayEquals(IMAGE_A, Arrays.copyOfRange(ids, 1, 1 + IMAGE_A.length));
	}

	@Test
	void multiTurnEndsEveryTurnWithTheSeparator() {
		final List<String> turns = List.of("What is this? <|image|>", "A red disc.", "And this? <|image|>");
		final int[] ids = template.encode(turns, List.of(IMAGE_A, IMAGE_B));
		final int[] encoded = tokenizer.encode("What is this? <|image|><reserved08706>A red disc.<reserved08706>" +
			"And this? <|image|><reserved08706>");
		assertArrayEquals(splice(encoded, IMAGE_A, IMAGE_B), ids);
		assertEquals(3, IntStream.of(ids).filter(id -> id == 8710).count());
	}

	@Test
	void placeholderCountMustMatchImages() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.encode(
			"<|image|> and <|image|>", List.of(IMAGE_A)));
		assertTrue(e.getMessage().contains("2 <|image|> placeholder(s) but 1 image(s)"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> template.encode("<|image|>", List.of()));
	}

	@Test
	void turnsMustEndWithTheUser() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.encode(List.of(
			"q", "a"), List.of()));
		assertTrue(e.getMessage().contains("got 2 turns"), e.getMessage());
	}

	@Test
	void imagesMustBeUniRep() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.encode("x",
			List.of(new int[] { 10, 11, 12, 13 })));
		assertTrue(e.getMessage().contains("image 0 is not a Uni-Rep token list"), e.getMessage());
	}

	private static int[] splice(final int[] encoded, final int[]... images) {
		final IntStream.Builder out = IntStream.builder().add(0);
		int next = 0;
		for (final int id : encoded) {
			if (id == TinyTokenizer.PLACEHOLDER_ID) IntStream.of(images[next++]).forEach(out::add);
			else out.add(id);
		}
		return out.build().toArray();
	}

	private static int[] concat(final int[]... parts) {
		return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
	}
}
