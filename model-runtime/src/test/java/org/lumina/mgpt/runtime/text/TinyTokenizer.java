package org.lumina.mgpt.runtime.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.lumina.mgpt.runtime.TokenRange;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * The tokenizer of the committed tiny bundle ({@code models/tiny-random/tokenizer.json} in this
 * module). Until that bundle is committed, the same file is made with the exporter's
 * {@code make_tiny_tokenizer} (Debian's {@code /usr/bin/python3}) into a temporary folder.
 */
public final class TinyTokenizer {

	/** The ids of the tiny bundle: Chameleon's real layout (spec §1.1), vocabulary 9216. */
	public static final TokenIds IDS = new TokenIds(0, 1, 8710, 8197, 8196, 8803, 8804, "<|image|>",
		new TokenRange(4, 8195), 8192);

	/** The placeholder's id in the tiny tokenizer: right after the vocabulary. */
	public static final int PLACEHOLDER_ID = 9216;

	private static Path generated;

	private TinyTokenizer() {}

	/** @return the module directory (Maven runs tests there) */
	public static Path moduleDir() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
	}

	/** @return the path of the tiny bundle's tokenizer.json */
	public static synchronized Path path() {
		final Path committed = moduleDir().resolve("models/tiny-random/tokenizer.json");
		if (Files.isRegularFile(committed)) return committed;
		if (generated == null) generated = generate();
		return generated;
	}

	/** @return the tiny tokenizer, opened and checked against {@link #IDS} */
	public static TextTokenizer open() {
		return TextTokenizer.open(path(), IDS);
	}

	private static Path generate() {
		try {
			final Path dir = Files.createTempDirectory("tiny-tokenizer");
			final Path file = dir.resolve("tokenizer.json");
			final String script = "import sys; sys.path.insert(0, sys.argv[1]); " +
				"from lumina_export.tokenizer_gen import make_tiny_tokenizer; make_tiny_tokenizer(9216, sys.argv[2])";
			final Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, moduleDir().resolve("export").toString(),
				file.toString()).inheritIO().start();
			if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(file)) {
				throw new IllegalStateException("make_tiny_tokenizer failed; commit models/tiny-random first");
			}
			file.toFile().deleteOnExit();
			dir.toFile().deleteOnExit();
			return file;
		}
		catch (final IOException | InterruptedException e) {
			throw new IllegalStateException("no models/tiny-random/tokenizer.json and cannot make one: " + e, e);
		}
	}
}
