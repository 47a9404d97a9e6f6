package org.lumina.mgpt.runtime.text;

import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.TokenRange;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * The tokenizer of the committed tiny bundle ({@code models/tiny-random/tokenizer.json} in this
 * module, written by the exporter's {@code make_tiny_tokenizer}).
 */
public final class TinyTokenizer {

	/** The ids of the tiny bundle: Chameleon's real layout (spec §1.1), vocabulary 9216. */
	public static final TokenIds IDS = new TokenIds(0, 1, 8710, 8197, 8196, 8803, 8804, "<|image|>",
		new TokenRange(4, 8195), 8192);

	/** The placeholder's id in the tiny tokenizer: right after the vocabulary. */
	public static final int PLACEHOLDER_ID = 9216;

	private TinyTokenizer() {}

	/** @return the module directory (Maven runs tests there) */
	public static Path moduleDir() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
	}

	/** @return the tiny bundle's directory */
	public static Path bundle() {
		return moduleDir().resolve("models/tiny-random");
	}

	/** @return the path of the tiny bundle's tokenizer.json; fails when it is not there */
	public static Path path() {
		final Path file = bundle().resolve("tokenizer.json");
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(file + " is missing: the tests need the committed tiny bundle");
		}
		return file;
	}

	/** @return the tiny tokenizer, opened and checked against {@link #IDS} */
	public static TextTokenizer open() {
		return TextTokenizer.open(path(), IDS);
	}
}
