package org.lumina.mgpt.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One in-process run of the CLI with its exit code and captured output; also locates the
 * committed tiny bundle and the sample images. Test helper.
 *
 * @param code the exit code
 * @param out everything printed on stdout
 * @param err everything printed on stderr
 */
public record CliRun(int code, String out, String err) {

	/** Runs {@code ./lumina args...} in this JVM. */
	public static CliRun of(final String... args) {
		return of(new CancelFlag(), args);
	}

	/** Runs {@code ./lumina args...} in this JVM with a cancel flag the test controls. */
	public static CliRun of(final CancelFlag cancel, final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		final int code = LuminaCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
			new PrintStream(err, true, StandardCharsets.UTF_8), cancel);
		return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** @return the non-empty stdout lines */
	public List<String> outLines() {
		return out.lines().filter(l -> !l.isBlank()).toList();
	}

	/** @return the last non-empty stdout line */
	public String lastLine() {
		final List<String> lines = outLines();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
	}

	/** @return the stderr lines that start with {@code lumina: } and are not the provider report */
	public List<String> errorLines() {
		return err.lines().filter(l -> l.startsWith("lumina: ") && !l.startsWith("lumina: ONNX Runtime") &&
			!l.startsWith("lumina: warning")).toList();
	}

	/** @return the repository root (the folder above the module running the tests) */
	public static Path home() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
	}

	/** @return the committed tiny random bundle, {@code model-runtime/models/tiny-random} */
	public static Path tinyBundle() {
		final Path bundle = home().resolve("model-runtime/models/tiny-random");
		if (!Files.isRegularFile(bundle.resolve("lumina-model.json"))) {
			throw new IllegalStateException("the tiny test bundle is missing at " + bundle +
				"; regenerate it as model-runtime/models/tiny-random/REGENERATE.md says");
		}
		return bundle;
	}

	/** @return a sample image of the repository */
	public static Path sample(final String name) {
		return home().resolve("sample-images").resolve(name);
	}

	@Override
	public String toString() {
		return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
	}
}
