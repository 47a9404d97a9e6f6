package org.lumina.mgpt.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.cli.CancelFlag;

/**
 * {@code ./lumina generate --size} on the tiny bundle: the files, the JSON line, reproducibility
 * by seed, and cancellation that leaves nothing behind. The 896x256 candidate has the fewest
 * tokens (916) of target size 512; guidance is off to keep the runs short.
 */
class GenerateEndToEndTest {

	private static final String SIZE = "896x256";
	private static final int TOKENS = 16 * (56 + 1) + 4;

	@TempDir
	static Path temp;

	private static Cli first;
	private static Cli again;
	private static Cli otherSeed;

	private static Cli generate(final String out, final String seed) {
		return Cli.run("generate", "--model", Cli.tiny().toString(), "--prompt",
			"Generate an image of 896x256 according to the following prompt:\nA cell.", "--size", SIZE, "--cfg", "1",
			"--max-tokens", Integer.toString(TOKENS), "--seed", seed, "--threads", "2", "--quiet", "--out",
			temp.resolve(out).toString());
	}

	@BeforeAll
	static void runThree() {
		first = generate("a", "3");
		again = generate("b", "3");
		otherSeed = generate("c", "4");
	}

	@Test
	void writesTheImageOfExactlyThatSizeAndTheTextAndProvenance() throws Exception {
		assertEquals(0, first.code(), first::toString);
		final Path out = temp.resolve("a");
		final BufferedImage image = ImageIO.read(out.resolve("image-1.png").toFile());
		assertEquals(896, image.getWidth());
		assertEquals(256, image.getHeight());
		assertTrue(Files.isRegularFile(out.resolve("answer.txt")));
		final JsonNode provenance = new ObjectMapper().readTree(out.resolve("generation.json").toFile());
		assertEquals(3, provenance.path("sampling").path("seed").asLong());
		assertEquals(SIZE, provenance.path("sampling").path("size").asText());
		assertEquals("tiny-random", provenance.path("model").path("name").asText());
		assertTrue(provenance.path("complete").asBoolean());
		assertTrue(provenance.path("reproduce").asText().startsWith("./lumina generate "));
		try (Stream<Path> files = Files.list(out)) {
			assertEquals(List.of("answer.txt", "generation.json", "image-1.png"),
				files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
		}
	}

	@Test
	void printsOneJsonLine() throws Exception {
		assertEquals(1, first.lines().size(), first::toString);
		final JsonNode json = first.lastJson();
		assertEquals(3, json.path("files").size());
		assertTrue(json.path("files").get(0).asText().endsWith("image-1.png"));
		assertEquals(TOKENS, json.path("num_tokens").asInt());
		assertTrue(json.path("seconds").asDouble() > 0);
		assertTrue(json.path("tokens_per_s").asDouble() > 0);
		assertEquals(3, json.path("seed").asLong());
	}

	@Test
	void sameSeedSameFilesOtherSeedOtherImage() throws Exception {
		assertEquals(0, again.code(), again::toString);
		assertEquals(0, otherSeed.code(), otherSeed::toString);
		assertArrayEquals(bytes("a", "image-1.png"), bytes("b", "image-1.png"));
		assertArrayEquals(bytes("a", "answer.txt"), bytes("b", "answer.txt"));
		assertFalse(Arrays.equals(bytes("a", "image-1.png"), bytes("c", "image-1.png")));
	}

	@Test
	void cancelledRunLeavesNoOutput() {
		final CancelFlag cancel = new CancelFlag();
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		// NB: cancel as soon as the second image row is reported: deterministic, whatever the speed
		final PrintStream tap = new PrintStream(err, true, StandardCharsets.UTF_8) {

			@Override
			public void write(final byte[] buf, final int off, final int len) {
				super.write(buf, off, len);
				if (new String(buf, off, len, StandardCharsets.UTF_8).contains("row 2 of")) cancel.cancel();
			}
		};
		final Path out = temp.resolve("cancelled");
		final Cli run = Cli.run(cancel, tap, "generate", "--model", Cli.tiny().toString(), "--prompt", "x", "--size",
			SIZE, "--cfg", "1", "--seed", "1", "--out", out.toString());
		final String stderr = err.toString(StandardCharsets.UTF_8);
		assertEquals(130, run.code(), stderr);
		assertTrue(stderr.contains("lumina: cancelled"), stderr);
		assertFalse(Files.exists(out), "a cancelled run must not leave --out behind");
	}

	private static byte[] bytes(final String dir, final String file) throws Exception {
		return Files.readAllBytes(temp.resolve(dir).resolve(file));
	}
}
