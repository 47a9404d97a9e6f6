package org.lumina.mgpt.runtime.bundle;

import static org.lumina.mgpt.runtime.bundle.ManifestFields.MANIFEST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.runtime.ModelException;

/**
 * Reads and validates the {@code lumina-model.json} of a model bundle (docs/bundle-format.md).
 * Checks types, ranges and the consistency of values across sections; it does not open any
 * file other than the manifest (see {@link BundleVerifier} for checksums).
 */
public final class ManifestReader {

	/** The format version this runtime reads. */
	public static final int FORMAT_VERSION = 1;

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

	private ManifestReader() {}

	/**
	 * Reads the manifest of the bundle in {@code bundleDir}.
	 *
	 * @throws ModelException when the folder is not a bundle, the manifest is not valid JSON, or
	 *           a key is missing, has the wrong type or contradicts another; the message names
	 *           the key
	 */
	public static ModelManifest read(final Path bundleDir) {
		final Path dir = bundleDir.toAbsolutePath().normalize();
		final ManifestFields root = new ManifestFields(dir, "", parse(dir));
		final String format = root.string("format");
		if (!format.equals("lumina-model")) throw root.error("format", "must be \"lumina-model\", got \"" + format + "\"");
		final int version = root.integer("format_version", 1);
		if (version > FORMAT_VERSION) {
			throw root.error("format_version", "is " + version + ": the bundle was written by a newer exporter; this " +
				"runtime reads version " + FORMAT_VERSION + ". Update the Lumina-mGPT plugin.");
		}
		final int targetSize = root.integer("target_size", 32);
		if (targetSize % 32 != 0) {
			throw root.error("target_size", "must be a multiple of 32 (one size token covers 32 px), got " + targetSize);
		}
		final ModelManifest manifest = new ModelManifest(dir, root.string("name"), root.optionalString("description", ""),
			root.optionalBool("random_weights", false), targetSize, ManifestSections.families(root),
			files(root.object("files")), ManifestSections.tokens(root.object("tokens")),
			ManifestSections.decoder(root.object("decoder")), ManifestSections.vq(root.object("vq")),
			sampling(root.object("sampling")), ManifestSections.outputs(root.optionalObject("outputs")));
		ManifestConsistency.check(manifest);
		BundleContainment.check(manifest);
		return manifest;
	}

	private static JsonNode parse(final Path dir) {
		if (!Files.isDirectory(dir)) {
			throw new ModelException(dir, "the model folder " + (Files.exists(dir) ? "is not a folder" : "does not exist"));
		}
		final Path file = dir.resolve(MANIFEST);
		if (!Files.isRegularFile(file)) {
			throw new ModelException(dir, "this folder is not a Lumina-mGPT model bundle: it has no " + MANIFEST +
				". Choose the folder that holds " + MANIFEST + ", or make a bundle from a checkpoint with " +
				"model-runtime/export/export.py (see docs/bundle-format.md)");
		}
		try {
			final JsonNode node = JSON.readTree(file.toFile());
			if (node == null || !node.isObject()) throw new ModelException(dir, MANIFEST + " must hold a JSON object");
			return node;
		}
		catch (final JsonProcessingException e) {
			throw new ModelException(dir, MANIFEST + " is not valid JSON: " + e.getOriginalMessage(), e);
		}
		catch (final IOException e) {
			throw new ModelException(dir, "cannot read " + MANIFEST + ": " + e.getMessage(), e);
		}
	}

	private static BundleFiles files(final ManifestFields files) {
		return new BundleFiles(file(files.object("decoder")), file(files.object("vq_encoder")),
			file(files.object("vq_decoder")), file(files.object("tokenizer")));
	}

	private static BundleFile file(final ManifestFields file) {
		final List<BundleFile> external = new ArrayList<>();
		for (final ManifestFields data : file.objects("external_data")) {
			external.add(file(data));
		}
		return new BundleFile(file.prefix(), relativePath(file), sha256(file), external);
	}

	private static String relativePath(final ManifestFields file) {
		final String path = file.string("path");
		final Path p;
		try {
			p = Path.of(path);
		}
		catch (final InvalidPathException e) {
			throw file.error("path", "is not a valid file path: \"" + path + "\"");
		}
		if (p.isAbsolute() || !(BundleContainment.isOwn(p) || BundleContainment.isShared(p))) {
			throw file.error("path", "must be a path inside the bundle folder, or inside the " +
				BundleContainment.SHARED_FOLDER + "/ folder beside it (../" + BundleContainment.SHARED_FOLDER +
				"/<file>), got \"" + path + "\"");
		}
		return path;
	}

	private static String sha256(final ManifestFields file) {
		final String sha = file.string("sha256");
		if (!SHA256.matcher(sha).matches()) {
			throw file.error("sha256", "must be 64 hexadecimal digits, got \"" + sha + "\"");
		}
		return sha.toLowerCase(Locale.ROOT);
	}

	private static Map<TaskFamily, SamplingDefaults> sampling(final ManifestFields sampling) {
		final Map<TaskFamily, SamplingDefaults> map = new EnumMap<>(TaskFamily.class);
		for (final TaskFamily family : TaskFamily.values()) {
			map.put(family, ManifestSections.samplingDefaults(sampling.object(family.key())));
		}
		return map;
	}
}
