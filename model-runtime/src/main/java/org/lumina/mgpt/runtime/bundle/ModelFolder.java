package org.lumina.mgpt.runtime.bundle;

import static org.lumina.mgpt.runtime.bundle.ManifestFields.MANIFEST;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.lumina.mgpt.runtime.ModelException;

/**
 * A model folder as a user names it: one bundle, or a folder of bundles. A small model may be
 * trained once per task family and ship as one bundle per family (e.g.
 * {@code synthetic/image_to_image/} and {@code synthetic/text_to_image/}, whose manifests name
 * their {@code families}); a task then runs on the bundle trained for its family.
 */
public final class ModelFolder {

	/** How many folder levels below a model folder bundles are looked for. */
	public static final int DEPTH = 3;

	private ModelFolder() {}

	/** @return whether {@code dir} is a bundle, i.e. holds {@code lumina-model.json} */
	public static boolean isBundle(final Path dir) {
		return Files.isRegularFile(dir.resolve(MANIFEST));
	}

	/**
	 * @return {@code dir} when it is a bundle, else the bundles up to {@link #DEPTH} folders below
	 *         it, in path order; empty when there is none or {@code dir} is not a folder
	 * @throws ModelException when the folder cannot be listed
	 */
	public static List<Path> find(final Path dir) {
		if (isBundle(dir)) return List.of(dir);
		if (!Files.isDirectory(dir)) return List.of();
		// NB: a manifest DEPTH folders below lies DEPTH + 1 path elements below dir
		try (Stream<Path> files = Files.walk(dir, DEPTH + 1)) {
			return files.filter(p -> p.getFileName().toString().equals(MANIFEST)).map(Path::getParent).sorted().toList();
		}
		catch (final IOException | UncheckedIOException e) {
			throw new ModelException(dir, "cannot list the model folder: " + e.getMessage(), e);
		}
	}

	/**
	 * @return {@link #find}'s bundles
	 * @throws IllegalArgumentException naming the folder when it does not exist or holds no bundle
	 */
	public static List<Path> bundles(final Path dir) {
		if (!Files.isDirectory(dir)) {
			throw new IllegalArgumentException("model folder " + dir + " does not exist; choose a bundle folder (one " +
				"holding " + MANIFEST + ") or a folder of bundles");
		}
		final List<Path> bundles = find(dir);
		if (bundles.isEmpty()) {
			throw new IllegalArgumentException("no model bundle in " + dir + " (no " + MANIFEST + " in it or up to " +
				DEPTH + " folders below); choose a bundle folder or a folder of bundles, or make a bundle with " +
				"model-runtime/export/export.py (see docs/bundle-format.md)");
		}
		return bundles;
	}

	/**
	 * @return the first of {@link #find}'s bundles whose model was trained for {@code family};
	 *         empty when none was
	 * @throws ModelException when a bundle's manifest cannot be read
	 */
	public static Optional<Path> covering(final Path dir, final TaskFamily family) {
		return firstCovering(find(dir), family);
	}

	/**
	 * Picks the bundle a task of {@code family} runs on: {@code dir} itself when it is a bundle
	 * (a single bundle is used as given, so it must cover the family), else the first bundle
	 * beneath it, in path order, whose manifest's {@code families} cover it.
	 *
	 * @throws IllegalArgumentException when there is no bundle, or none covers {@code family}:
	 *           the message names the folder, the family and each bundle with its families
	 * @throws ModelException when a bundle's manifest cannot be read
	 */
	public static Path bundleFor(final Path dir, final TaskFamily family) {
		final List<Path> bundles = bundles(dir);
		return firstCovering(bundles, family).orElseThrow(() -> new IllegalArgumentException(isBundle(dir)
			? "the model bundle " + dir + " was trained for " + trainedFor(dir) + " tasks only, not for " + family.key() +
				" tasks (key 'families' of its " + MANIFEST + "); choose a bundle trained for " + family.key() +
				", or a folder that holds one"
			: "no model bundle in " + dir + " was trained for " + family.key() + " tasks: it holds " + bundles.stream()
				.map(b -> b + " (" + trainedFor(b) + ")").collect(Collectors.joining(", ")) + "; add a bundle whose " +
				MANIFEST + " lists \"" + family.key() + "\" in 'families', or choose another model folder"));
	}

	// -- Helper methods --

	private static Optional<Path> firstCovering(final List<Path> bundles, final TaskFamily family) {
		return bundles.stream().filter(bundle -> ManifestReader.read(bundle).covers(family)).findFirst();
	}

	private static String trainedFor(final Path bundle) {
		return TaskFamily.keys(ManifestReader.read(bundle).families());
	}
}
