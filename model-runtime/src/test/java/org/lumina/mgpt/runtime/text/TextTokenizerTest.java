package org.lumina.mgpt.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.TokenRange;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/** Tests {@link TextTokenizer} with the tiny bundle's real tokenizer.json. */
class TextTokenizerTest {

	private static TextTokenizer tokenizer;

	@BeforeAll
	static void open() {
		tokenizer = TinyTokenizer.open();
	}

	@AfterAll
	static void close() {
		tokenizer.close();
	}

	@Test
	void specialTokensAreSingleIds() {
		assertArrayEquals(new int[] { 8197 }, tokenizer.encode("<racm3:break>"));
		assertArrayEquals(new int[] { 8196 }, tokenizer.encode("<eoss>"));
		assertArrayEquals(new int[] { 8710 }, tokenizer.encode("<reserved08706>"));
		assertArrayEquals(new int[] { 8803 }, tokenizer.encode("<reserved08799>"));
		assertArrayEquals(new int[] { TinyTokenizer.PLACEHOLDER_ID }, tokenizer.encode("<|image|>"));
		assertEquals("<racm3:break><reserved08706><|image|>", tokenizer.decode(new int[] { 8197, 8710,
			TinyTokenizer.PLACEHOLDER_ID }));
	}

	@Test
	void specialTokensInsideTextStayWhole() {
		final int[] ids = tokenizer.encode("Depth estimation. <|image|><reserved08706>");
		assertEquals(TinyTokenizer.PLACEHOLDER_ID, ids[ids.length - 2]);
		assertEquals(8710, ids[ids.length - 1]);
		for (int i = 0; i < ids.length - 2; i++) {
			assertTrue(ids[i] >= 8900 && ids[i] < 9216, "text token " + ids[i] + " outside the text ids");
		}
	}

	@Test
	void textRoundTrips() {
		for (final String text : new String[] { "Generate an image of 512x512 according to the following prompt:\na red disc",
			"Ünïcödé, emoji 🙂 and\ttabs", "  leading spaces", "" })
		{
			assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
		}
	}

	@Test
	void longTextIsNotTruncated() {
		final String text = "red green blue ".repeat(400);
		final int[] ids = tokenizer.encode(text);
		assertTrue(ids.length > 1000, "only " + ids.length + " tokens");
		assertEquals(text, tokenizer.decode(ids));
	}

	@Test
	void idAndTokenLookUpTheVocabulary() {
		assertEquals(0, tokenizer.id("<s>"));
		assertEquals(8710, tokenizer.id("<reserved08706>"));
		assertEquals(4 + 123, tokenizer.id("IMGIMGBCDZ"));
		assertEquals("<racm3:break>", tokenizer.token(8197));
		assertEquals(TinyTokenizer.PLACEHOLDER_ID, tokenizer.id("<|image|>"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.id("<nope>"));
		assertTrue(e.getMessage().contains("<nope>"), e.getMessage());
	}

	@Test
	void imageTokenMapIsBuiltFromTheNames() {
		final ImageTokenMap map = tokenizer.imageTokenMap();
		assertEquals(8192, map.codebookSize());
		assertEquals(4, map.tokenId(0));
		assertEquals(8195, map.tokenId(8191));
		assertEquals(123, map.code(127));
	}

	@Test
	void manifestIdsThatDisagreeAreRefused() {
		final TokenIds wrongSeparator = new TokenIds(0, 1, 8711, 8197, 8196, 8803, 8804, "<|image|>",
			new TokenRange(4, 8195), 8192);
		final ModelException e = assertThrows(ModelException.class, () -> TextTokenizer.open(TinyTokenizer.path(),
			wrongSeparator));
		assertTrue(e.getMessage().contains("<reserved08706>") && e.getMessage().contains("8711") &&
			e.getMessage().contains("8710"), e.getMessage());
	}

	@Test
	void missingPlaceholderIsRefused() {
		final TokenIds otherPlaceholder = new TokenIds(0, 1, 8710, 8197, 8196, 8803, 8804, "<image>",
			new TokenRange(4, 8195), 8192);
		final ModelException e = assertThrows(ModelException.class, () -> TextTokenizer.open(TinyTokenizer.path(),
			otherPlaceholder));
		assertTrue(e.getMessage().contains("<image>"), e.getMessage());
	}

	@Test
	void missingFileIsNamed(@TempDir final Path dir) {
		final ModelException e = assertThrows(ModelException.class, () -> TextTokenizer.open(dir.resolve(
			"tokenizer.json"), TinyTokenizer.IDS));
		assertTrue(e.getMessage().contains("tokenizer.json is missing"), e.getMessage());
	}

	@Test
	void notATokenizerIsRefused(@TempDir final Path dir) throws IOException {
		final Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Unigram\"}}");
		final ModelException e = assertThrows(ModelException.class, () -> TextTokenizer.open(file, TinyTokenizer.IDS));
		assertTrue(e.getMessage().contains("model.vocab"), e.getMessage());
	}

	@Test
	void opensFromTheBundleManifest() {
		try (TextTokenizer t = TextTokenizer.open(ManifestReader.read(TinyTokenizer.bundle()))) {
			assertEquals(TinyTokenizer.IDS, t.tokenIds());
			assertArrayEquals(tokenizer.encode("a red disc"), t.encode("a red disc"));
		}
	}

	@Test
	void useAfterCloseIsAnError() {
		final TextTokenizer t = TinyTokenizer.open();
		t.close();
		t.close(); // idempotent
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("x"));
		assertTrue(e.getMessage().contains("closed"), e.getMessage());
	}
}
