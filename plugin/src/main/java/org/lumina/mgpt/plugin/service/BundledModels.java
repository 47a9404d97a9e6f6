package org.lumina.mgpt.plugin.service;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the model bundles that ship with the project (the small trained {@code synthetic} bundle,
 * else the {@code tiny-random} test bundle): under {@code model-runtime/models/} of the folder
 * named by the system property {@code lumina.home}, else of a folder above the plugin jar
 * (the source tree: {@code plugin/target/Lumina_mGPT.jar}), else in {@code lumina-models/} of a
 * folder above the jar (a Fiji installation: {@code Fiji.app/lumina-models/tiny-random}).
 */
public final class BundledModels {

	/** Bundle folder names, preferred first. */
	public static final List<String> NAMES = List.of("synthetic", "tiny-random");

	private static final String MANIFEST = "lumina-model.json";

	private BundledModels() {}

	/** @return every bundled model found, preferred first; empty when none */
	public static List<Path> all() {
		final List<Path> found = new ArrayList<>();
		for (final Path models : modelFolders()) {
			for (final String name : NAMES) {
				final Path bundle = models.resolve(name);
				if (Files.isRegularFile(bundle.resolve(MANIFEST)) && !found.contains(bundle)) found.add(bundle);
			}
		}
		return found;
	}

	/** @return the preferred bundled model, if any is found */
	public static Optional<Path> preferred() {
		final List<Path> all = all();
		return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
	}

	/** @return the folders searched, for error messages */
	public static List<Path> modelFolders() {
		final List<Path> folders = new ArrayList<>();
		final String home = System.getProperty("lumina.home");
		if (home != null && !home.isBlank()) folders.add(Path.of(home).toAbsolutePath().normalize().resolve(
			"model-runtime/models"));
		Path dir = jarFolder();
		for (int up = 0; dir != null && up < 4; up++, dir = dir.getParent()) {
			folders.add(dir.resolve("model-runtime/models"));
			folders.add(dir.resolve("lumina-models"));
		}
		return folders;
	}

	// -- Helper methods --

	private static Path jarFolder() {
		try {
			final var source = BundledModels.class.getProtectionDomain().getCodeSource();
			if (source == null) return null;
			return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize().getParent();
		}
		catch (final URISyntaxException | IllegalArgumentException | SecurityException e) {
			return null;
		}
	}
}
