package org.lumina.mgpt.plugin.service;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lumina.mgpt.runtime.bundle.ModelFolder;

/**
 * Finds the model folders that ship with the project (the small trained {@code synthetic} model,
 * a bundle or one bundle per task family, else the {@code tiny-random} test bundle): under
 * {@code model-runtime/models/} of the folder named by the system property {@code lumina.home},
 * else of a folder above the plugin jar (the source tree: {@code plugin/target/Lumina_mGPT.jar}),
 * else in {@code lumina-models/} of a folder above the jar (a Fiji installation:
 * {@code Fiji.app/lumina-models/tiny-random}).
 */
public final class BundledModels {

	/** Model folder names, preferred first. */
	public static final List<String> NAMES = List.of("synthetic", "tiny-random");

	private BundledModels() {}

	/** @return every bundled model found, preferred first; empty when none */
	public static List<Path> all() {
		final List<Path> found = new ArrayList<>();
		for (final Path models : modelFolders()) {
			for (final Path folder : in(models)) {
				if (!found.contains(folder)) found.add(folder);
			}
		}
		return found;
	}

	/**
	 * @param models a folder of models, e.g. {@code model-runtime/models}
	 * @return its folders named in {@link #NAMES} that hold a bundle or bundles beneath (one per
	 *         task family), preferred first
	 */
	public static List<Path> in(final Path models) {
		return NAMES.stream().map(models::resolve).filter(folder -> !ModelFolder.find(folder).isEmpty()).toList();
	}

	/** @return the preferred bundled model folder, if any is found */
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
