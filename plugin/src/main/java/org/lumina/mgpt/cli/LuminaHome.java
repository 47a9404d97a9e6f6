package org.lumina.mgpt.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.plugin.service.BundledModels;

/**
 * The project folder the CLI runs from: the system property {@code lumina.home} (set by the
 * {@code ./lumina} launcher), else the first folder upwards from the working directory that
 * holds the launcher and {@code model-runtime/}.
 */
record LuminaHome(Path root) {

	/** @return the home of this JVM */
	static LuminaHome current() {
		final String property = System.getProperty("lumina.home");
		if (property != null && !property.isBlank()) return new LuminaHome(Path.of(property).toAbsolutePath().normalize());
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("lumina")) && Files.isDirectory(dir.resolve("model-runtime"))) {
				return new LuminaHome(dir);
			}
		}
		return new LuminaHome(Path.of("").toAbsolutePath());
	}

	/**
	 * @return the bundled model folder: {@code model-runtime/models/synthetic} when it holds a bundle
	 *         (or one per task family), else {@code model-runtime/models/tiny-random}
	 * @throws IllegalArgumentException naming both places when neither holds a bundle
	 */
	Path bundledModel() {
		final Path models = root.resolve("model-runtime/models");
		return BundledModels.in(models).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
			"no bundled model in " + models + " (" + String.join(" or ", BundledModels.NAMES) + "); restore " +
				"model-runtime/models from git, or pass --model DIR"));
	}

	/** @return the sample images folder */
	Path sampleImages() {
		return root.resolve("sample-images");
	}

	/** @return where the demo writes by default */
	Path outputs() {
		return root.resolve("lumina-output");
	}

	/** @return the cache of generated benchmark models */
	Path cache() {
		return root.resolve(".lumina-cache");
	}

	/** @return the exporter folder ({@code model-runtime/export}) */
	Path exporter() {
		return root.resolve("model-runtime/export");
	}
}
