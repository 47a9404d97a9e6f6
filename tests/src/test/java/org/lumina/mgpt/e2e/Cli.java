package org.lumina.mgpt.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.cli.CancelFlag;
import org.lumina.mgpt.cli.LuminaCli;

/**
 * One in-process run of {@code ./lumina} (through {@link LuminaCli#run}) with its exit code and
 * output, plus where the repository's tiny bundle and sample images are.
 *
 * @param code the exit code
 * @param out stdout
 * @param err stderr
 */
record Cli(int code, String out, String err) {

	/** Runs the CLI with {@code args}; stderr goes through {@code errTap} too when not null. */
	static Cli run(final CancelFlag cancel, final PrintStream errTap, final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		final PrintStream errStream = errTap != null ? errTap : new PrintStream(err, true, StandardCharsets.UTF_8);
		final int code = LuminaCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), errStream, cancel);
		return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	static Cli run(final String... args) {
		return run(new CancelFlag(), null, args);
	}

	/** @return the non-empty stdout lines */
	List<String> lines() {
		return out.lines().filter(l -> !l.isBlank()).toList();
	}

	/** @return the last stdout line parsed as JSON */
	JsonNode lastJson() throws Exception {
		final List<String> lines = lines();
		return new ObjectMapper().readTree(lines.get(lines.size() - 1));
	}

	/** @return the repository root */
	static Path home() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
	}

	/** @return the committed tiny random bundle */
	static Path tiny() {
		final Path bundle = home().resolve("model-runtime/models/tiny-random");
		if (!Files.isRegularFile(bundle.resolve("lumina-model.json"))) {
			throw new IllegalStateException("the tiny test bundle is missing at " + bundle +
				"; regenerate it as model-runtime/models/tiny-random/REGENERATE.md says");
		}
		return bundle;
	}

	@Override
	public String toString() {
		return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
	}
}
