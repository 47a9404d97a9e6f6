package org.lumina.mgpt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a helper program (the Python exporter or its torch benchmark) to completion with a time
 * limit; stdout is collected, and the last stderr line kept to explain failures.
 *
 * @param exitCode the program's exit code ({@code -1} when it was killed at the time limit)
 * @param stdout everything it printed on stdout
 * @param lastErrorLine the last non-empty stderr line, or {@code ""}
 */
record ExternalProcess(int exitCode, String stdout, String lastErrorLine) {

	/** The interpreter with Debian's torch and onnx (see conventions). */
	static final Path PYTHON = Path.of("/usr/bin/python3");

	/** @return whether the program exited with 0 */
	boolean succeeded() {
		return exitCode == 0;
	}

	/** Runs {@code command} with {@code extraEnv} added to the environment. */
	static ExternalProcess run(final List<String> command, final Map<String, String> extraEnv, final long timeoutSeconds)
		throws IOException
	{
		final Path output = Files.createTempFile("lumina-process", ".out");
		final Path errors = Files.createTempFile("lumina-process", ".err");
		try {
			final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
				.redirectError(errors.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
			builder.environment().putAll(extraEnv);
			final Process process = builder.start();
			final boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
			if (!done) process.destroyForcibly().waitFor();
			final List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
				.filter(l -> !l.isBlank()).toList();
			return new ExternalProcess(done ? process.exitValue() : -1, Files.readString(output, StandardCharsets.UTF_8),
				lines.isEmpty() ? (done ? "" : "killed after " + timeoutSeconds + " s") : lines.get(lines.size() - 1).strip());
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while running " + command.get(0), e);
		}
		finally {
			Files.deleteIfExists(output);
			Files.deleteIfExists(errors);
		}
	}

	private static java.io.File nullDevice() {
		return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
	}

	/** @return whether {@link #PYTHON} can import torch and onnx */
	static boolean pythonWithTorch() {
		if (!Files.isExecutable(PYTHON)) return false;
		try {
			return run(List.of(PYTHON.toString(), "-c", "import torch, onnx"), Map.of(), 120).succeeded();
		}
		catch (final IOException e) {
			return false;
		}
	}
}
