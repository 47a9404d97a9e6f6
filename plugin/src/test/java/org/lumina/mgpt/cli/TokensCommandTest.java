package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.AnswerGenerator;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Tests {@link TokensCommand} on the committed tiny bundle against the tokenizer and VQ encoder directly. */
class TokensCommandTest {

	private static final String SEPARATOR = "<reserved08706>";

	private static Model model;
	private static TokenIds ids;
	private static int[] cellTokens;

	@BeforeAll
	static void open() throws Exception {
		model = Model.open(CliRun.tinyBundle(), ModelOptions.cpu().withCpuThreads(1));
		ids = model.manifest().tokens();
		cellTokens = new AnswerGenerator(model).encodeImage(RgbImages.read(CliRun.sample("cells-256.png"))).tokens();
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static int[] cli(final String... args) throws Exception {
		final CliRun run = CliRun.of(args);
		assertEquals(0, run.code(), run::toString);
		assertEquals(1, run.outLines().size(), "one JSON array:\n" + run.out());
		return new ObjectMapper().readValue(run.lastLine(), int[].class);
	}

	/** [BOS] + ids with each placeholder id replaced by {@code image}. */
	private static int[] expected(final String text, final int[] image) {
		final int placeholder = model.tokenizer().id("<|image|>");
		final IntStream.Builder out = IntStream.builder().add(ids.bos());
		for (final int id : model.tokenizer().encode(text)) {
			if (id == placeholder) IntStream.of(image).forEach(out::add);
			else out.add(id);
		}
		return out.build().toArray();
	}

	@Test
	void textOnlyIsBosPlusPromptAndSeparator() throws Exception {
		final int[] tokens = cli("tokens", "--model", CliRun.tinyBundle().toString(), "--prompt", "Hello world");
		assertEquals(SEPARATOR, model.tokenizer().token(ids.separator()));
		assertArrayEquals(expected("Hello world" + SEPARATOR, null), tokens);
		assertEquals(ids.separator(), tokens[tokens.length - 1]);
	}

	@Test
	void imageIsSplicedAtItsPlaceholder() throws Exception {
		final Path cells = CliRun.sample("cells-256.png");
		final int[] tokens = cli("tokens", "--model", CliRun.tinyBundle().toString(), "--prompt",
			"Describe <|image|> briefly.", "--image", cells.toString());
		assertArrayEquals(expected("Describe <|image|> briefly." + SEPARATOR, cellTokens), tokens);
		assertEquals(ids.imageStart(), cellTokens[0]);
		// cells-256 is square: it is resized to 512x512, a 32x32 code grid
		assertEquals(32 * 33 + 4, cellTokens.length);
	}

	@Test
	void imageWithoutPlaceholderGoesFirst() throws Exception {
		final int[] tokens = cli("tokens", "--model", CliRun.tinyBundle().toString(), "--prompt", "What is this?",
			"--image", CliRun.sample("cells-256.png").toString(), "--quiet");
		assertArrayEquals(expected("<|image|> What is this?" + SEPARATOR, cellTokens), tokens);
		assertEquals(ids.bos(), tokens[0]);
		assertEquals(ids.imageStart(), tokens[1]);
	}
}
