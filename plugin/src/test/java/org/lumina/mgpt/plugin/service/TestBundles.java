package org.lumina.mgpt.plugin.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The committed tiny bundle, copies of it whose manifests name the task families they cover,
 * copies of bundles with another output convention, and a minimal SciJava context for plugin tests.
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
		copyFiles(tiny(), folder);
		return tinyManifest(folder, families);
	}

	/**
	 * Copies {@code bundle}'s files into {@code folder}/{@code <bundle's name>}, and the
	 * {@code shared/} folder beside it (its VQ graphs and tokenizer, if it has one) into
	 * {@code folder/shared}: a folder of one bundle that loads and runs.
	 *
	 * @return the copied bundle
	 */
	public static Path copy(final Path bundle, final Path folder) throws IOException {
		final Path shared = bundle.getParent().resolve("shared");
		if (Files.isDirectory(shared)) copyFiles(shared, folder.resolve("shared"));
		return copyFiles(bundle, folder.resolve(bundle.getFileName()));
	}

	/**
	 * Sets {@code outputs.<task>} of the manifest in {@code bundle} (a copy, never a committed
	 * bundle) to {@code convention}.
	 *
	 * @return {@code bundle}
	 */
	public static Path withOutput(final Path bundle, final String task, final JsonNode convention) throws IOException {
		final ObjectMapper json = new ObjectMapper();
		final ObjectNode manifest = (ObjectNode) json.readTree(bundle.resolve(MANIFEST).toFile());
		((ObjectNode) manifest.get("outputs")).set(task, convention);
		json.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve(MANIFEST).toFile(), manifest);
		return bundle;
	}

	/**
	 * @return the keypoint convention of the synthetic pose maps ({@code truth.pose} of the
	 *         scorer's {@code synthetic-scenes.json}): what the synthetic bundles' manifests
	 *         declare
	 */
	public static JsonNode poseConvention() throws IOException {
		try (InputStream in = TestBundles.class.getResourceAsStream("/org/lumina/mgpt/cli/score/synthetic-scenes.json")) {
			return new ObjectMapper().readTree(in).path("truth").path("pose");
		}
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

	/** Copies the regular files of {@code from} (not dot files) into {@code to}; returns {@code to}. */
	private static Path copyFiles(final Path from, final Path to) throws IOException {
		Files.createDirectories(to);
		try (Stream<Path> files = Files.list(from)) {
			for (final Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(
				".")).toList()) Files.copy(file, to.resolve(file.getFileName()));
		}
		return to;
	}

	/** @return a context with the services the commands need; close it */
	public static Context context() {
		return new Context(CommandService.class, StatusService.class, LogService.class, PrefService.class,
			LuminaModelService.class);
	}
}
