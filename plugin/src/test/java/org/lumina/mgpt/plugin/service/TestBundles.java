package org.lumina.mgpt.plugin.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.lumina.mgpt.runtime.bundle.TaskFamily;

import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.prefs.PrefService;

/**
 * The committed tiny bundle, copies of it whose manifests name the task families they cover, and
 * a minimal SciJava context for plugin tests.
 */
public final class TestBundles {

	private static final String MANIFEST = "lumina-model.json";

	private TestBundles() {}

	/** @return the repository root (the folder above the module running the tests) */
	public static Path home() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
	}

	/** @return {@code model-runtime/models/tiny-random} */
	public static Path tiny() {
		final Path bundle = home().resolve("model-runtime/models/tiny-random");
		if (!Files.isRegularFile(bundle.resolve(MANIFEST))) {
			throw new IllegalStateException("the tiny test bundle is missing at " + bundle);
		}
		return bundle;
	}

	/**
	 * Copies the tiny bundle's files (not its {@code references/}) into {@code folder}, with a
	 * manifest naming {@code families} ({@link #tinyManifest}): a bundle that loads and runs.
	 *
	 * @return {@code folder}
	 */
	public static Path tinyCopy(final Path folder, final TaskFamily... families) throws IOException {
		Files.createDirectories(folder);
		try (Stream<Path> files = Files.list(tiny())) {
			for (final Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(
				".")).toList()) Files.copy(file, folder.resolve(file.getFileName()));
		}
		return tinyManifest(folder, families);
	}

	/**
	 * Writes the tiny bundle's manifest into {@code folder} with {@code "families"} set to
	 * {@code families} (left out when none is given: every family). Enough to read the manifest;
	 * {@link #tinyCopy} adds the files a model load needs.
	 *
	 * @return {@code folder}
	 */
	public static Path tinyManifest(final Path folder, final TaskFamily... families) throws IOException {
		Files.createDirectories(folder);
		final ObjectMapper json = new ObjectMapper();
		final ObjectNode manifest = (ObjectNode) json.readTree(tiny().resolve(MANIFEST).toFile());
		if (families.length > 0) {
			final ArrayNode list = manifest.putArray("families");
			for (final TaskFamily family : families) list.add(family.key());
		}
		json.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(MANIFEST).toFile(), manifest);
		return folder;
	}

	/** @return a context with the services the commands need; close it */
	public static Context context() {
		return new Context(CommandService.class, StatusService.class, LogService.class, PrefService.class,
			LuminaModelService.class);
	}
}
