package org.lumina.mgpt.e2e.macro;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs an ImageJ macro in real headless ImageJ 1, in a child JVM ({@code ij.ImageJ -batch} with
 * the ij1-patcher java agent), on an app folder where the release zip was installed
 * ({@link ReleaseZip}): the plugins folder holds {@code Lumina_mGPT.jar}, whose
 * {@code plugins.config} makes the menu entries, and the class path is ImageJ plus the app's
 * {@code plugins/} and {@code jars/}, as Fiji's launcher builds it. Nothing of the build's own
 * class path reaches the plugin, so a library missing from the zip fails the macro tests. A
 * failing macro still exits 0: check what the macro wrote.
 * <p>
 * NB: with the jar ONLY in {@code plugins/}, headless ImageJ 1 (with ij1-patcher 2.0.0) finds the
 * menu entries but silently fails to run the plugin class; hence the class path.
 */
final class HeadlessImageJ {

	/** The output of one run. */
	record Run(int exitCode, String output) {}

	private final Path app;
	private final String classPath;
	private final String agent;

	/** @param app a folder holding the release zip's {@code plugins/}, {@code jars/} and {@code lumina-models/} */
	HeadlessImageJ(final Path app) throws IOException {
		this.app = app;
		final List<String> entries = new ArrayList<>();
		String patcher = null;
		for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			final String name = Path.of(entry).getFileName().toString();
			if (name.startsWith("ij1-patcher")) patcher = entry;
			// NB: ImageJ itself and the patcher with its bytecode library; everything else comes from the app
			if (name.startsWith("ij1-patcher") || name.startsWith("javassist") || name.matches("ij-[0-9].*\\.jar")) {
				entries.add(entry);
			}
		}
		if (patcher == null) throw new IllegalStateException("ij1-patcher is not on the test class path");
		for (final String folder : new String[] { "plugins", "jars" }) {
			try (Stream<Path> jars = Files.list(app.resolve(folder))) {
				jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
			}
		}
		classPath = String.join(File.pathSeparator, entries);
		agent = patcher;
	}

	/**
	 * Runs {@code macro} with {@code argument} ({@code getArgument()} in the macro). No
	 * {@code lumina.home} is set: the plugin finds the demo model in the app's
	 * {@code lumina-models/}, as in an installed Fiji.
	 */
	Run run(final Path macro, final String argument, final Path log) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-javaagent:" + agent + "=init", "--add-opens=java.base/java.lang=ALL-UNNAMED",
			"-Djava.awt.headless=true", "-Dplugins.dir=" + app, "-Dai.djl.offline=true", "-Xmx2g", "-cp", classPath,
			"ij.ImageJ", "-batch", macro.toString(), argument));
		final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("DJL_OFFLINE", "true");
		builder.environment().put("OPT_OUT_TRACKING", "true");
		final Process process = builder.start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("the macro " + macro + " ran for more than 10 minutes; log: " + log);
		}
		return new Run(process.exitValue(), Files.readString(log));
	}
}
