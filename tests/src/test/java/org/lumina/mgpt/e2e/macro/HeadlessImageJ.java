package org.lumina.mgpt.e2e.macro;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.lumina.mgpt.plugin.ij1.CommandBridge;

/**
 * Runs an ImageJ macro in real headless ImageJ 1, in a child JVM: {@code ij.ImageJ -batch} with
 * the ij1-patcher java agent, and a plugins folder holding {@code plugins/Lumina_mGPT.jar} (the
 * jar is built from the plugin's classes when the reactor gives a classes folder), whose
 * {@code plugins.config} makes the menu entries. The plugin and its dependencies are also on the
 * class path, as Fiji's launcher puts them. A failing macro still exits 0: check what the macro
 * wrote.
 * <p>
 * NB: with the jar ONLY in {@code plugins/}, headless ImageJ 1 (with ij1-patcher 2.0.0) finds the
 * menu entries but silently fails to run the plugin class.
 */
final class HeadlessImageJ {

	/** The output of one run. */
	record Run(int exitCode, String output) {}

	private final Path imagejDir; // holds plugins/Lumina_mGPT.jar
	private final String classPath;
	private final String agent;

	HeadlessImageJ(final Path workDir) throws IOException {
		imagejDir = workDir.resolve("imagej");
		final Path plugins = Files.createDirectories(imagejDir.resolve("plugins"));
		final Path pluginLocation = location(CommandBridge.class);
		final Path jar = plugins.resolve("Lumina_mGPT.jar");
		if (Files.isDirectory(pluginLocation)) jar(pluginLocation, jar);
		else Files.copy(pluginLocation, jar, StandardCopyOption.REPLACE_EXISTING);
		final List<String> entries = new ArrayList<>();
		String patcher = null;
		for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (entry.contains("ij1-patcher")) patcher = entry;
			entries.add(entry);
		}
		if (patcher == null) throw new IllegalStateException("ij1-patcher is not on the test class path");
		classPath = String.join(File.pathSeparator, entries);
		agent = patcher;
	}

	/** @return the ImageJ folder ({@code -Dplugins.dir}) */
	Path imagejDir() {
		return imagejDir;
	}

	/**
	 * Runs {@code macro} with {@code argument} ({@code getArgument()} in the macro).
	 *
	 * @param home the repository root, as {@code lumina.home} (for the bundled model)
	 */
	Run run(final Path macro, final String argument, final Path home, final Path log) throws IOException,
		InterruptedException
	{
		final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-javaagent:" + agent + "=init", "--add-opens=java.base/java.lang=ALL-UNNAMED",
			"-Djava.awt.headless=true", "-Dplugins.dir=" + imagejDir, "-Dlumina.home=" + home, "-Dai.djl.offline=true",
			"-Xmx2g", "-cp", classPath, "ij.ImageJ", "-batch", macro.toString(), argument));
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

	// -- Helper methods --

	private static Path location(final Class<?> c) {
		try {
			return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
		}
		catch (final URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void jar(final Path classes, final Path jar) throws IOException {
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
			Files.walkFileTree(classes, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
					zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
					Files.copy(file, zip);
					zip.closeEntry();
					return FileVisitResult.CONTINUE;
				}
			});
		}
	}
}
