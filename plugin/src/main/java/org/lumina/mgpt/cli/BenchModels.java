package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/**
 * The benchmark's bundles, each generated once by the Python exporter into {@code .lumina-cache/}
 * (written to a temporary folder and renamed, so an interrupted export is never mistaken for a
 * bundle): the standard workload, a random bundle of hidden size 512 and 8 layers
 * ({@code bench-h512-l8/}), its 4-bit twin ({@code bench-h512-l8-int4/}: the same seed, so the
 * same weights, quantized) and its {@code shared_buffer} twin ({@code bench-h512-l8-shared-buffer/}:
 * the same weights, the KV cache updated in place); and the trained synthetic model, which the
 * speculative-decoding figures need (a random model's acceptance rates mean nothing).
 */
final class BenchModels {

	static final String NAME = "bench-h512-l8";
	private static final long TIMEOUT_SECONDS = 1200;

	private BenchModels() {}

	/**
	 * @return the standard bundle, exporting it first when the cache does not hold it
	 * @throws IllegalArgumentException when Python with torch is missing (the fix: install it or pass --model)
	 */
	static Path standard(final LuminaHome home, final PrintWriter err) throws IOException {
		return standardExport(home, err, NAME, List.of());
	}

	/** @return the standard bundle with its linear weights in 4-bit blocks, exporting it first when needed */
	static Path standardInt4(final LuminaHome home, final PrintWriter err) throws IOException {
		return standardExport(home, err, NAME + "-int4", List.of("--weights", "int4"));
	}

	/** @return the standard bundle with the {@code shared_buffer} KV layout, exporting it first when needed */
	static Path standardSharedBuffer(final LuminaHome home, final PrintWriter err) throws IOException {
		return standardExport(home, err, NAME + "-shared-buffer", List.of("--kv-layout", "shared_buffer"));
	}

	/**
	 * @return the trained synthetic model for text to image: the bundle of
	 *         {@code model-runtime/models/synthetic/} trained for it when there is one, else the
	 *         committed training checkpoints' {@code decoder/} exported once (see {@link #trained});
	 *         {@code null} when neither can be had, with the reason on {@code err}
	 */
	static Path trainedTextToImage(final LuminaHome home, final PrintWriter err) throws IOException {
		return trained(home, err, TaskFamily.TEXT_TO_IMAGE, "decoder");
	}

	/**
	 * @return the trained synthetic model for grounding and the other image-to-image tasks: the
	 *         bundle of {@code model-runtime/models/synthetic/} trained for them, else the
	 *         checkpoints' {@code decoder_image_to_image/} exported once; {@code null} when neither
	 *         can be had, with the reason on {@code err}
	 */
	static Path trainedImageToImage(final LuminaHome home, final PrintWriter err) throws IOException {
		return trained(home, err, TaskFamily.IMAGE_TO_IMAGE, "decoder_image_to_image");
	}

	/**
	 * @param family the task family: the first bundle of {@code model-runtime/models/synthetic/}
	 *          (itself, or one beneath it) whose manifest covers it is used
	 * @param decoder the decoder's folder in the committed training checkpoints
	 *          ({@code model-runtime/training/checkpoints/}), exported with the VQ there into
	 *          {@code .lumina-cache/synthetic-<digest of the checkpoints>/} when no bundle covers the family
	 */
	private static Path trained(final LuminaHome home, final PrintWriter err, final TaskFamily family,
		final String decoder) throws IOException
	{
		final Path synthetic = home.root().resolve("model-runtime/models/synthetic");
		final Optional<Path> committed = ModelFolder.covering(synthetic, family);
		if (committed.isPresent()) return committed.get();
		final Path training = home.root().resolve("model-runtime/training");
		final Path checkpoints = training.resolve("checkpoints");
		final List<Path> weights = List.of(checkpoints.resolve("vq/last.pt"), checkpoints.resolve(decoder + "/last.npz"),
			checkpoints.resolve(decoder + "/tokenizer.json"), checkpoints.resolve(decoder + "/state.json"));
		for (final Path file : weights) {
			if (!Files.isRegularFile(file)) {
				err.println("lumina: no trained synthetic model for " + family.key() + " (" + synthetic + " holds no " +
					"bundle trained for it, " + file + " is missing)");
				return null;
			}
		}
		final String name = "synthetic-" + digest(weights);
		final Path cached = cached(home, name);
		if (cached != null) return cached;
		if (!ExternalProcess.pythonWithTorch()) {
			err.println("lumina: the trained synthetic model is exported from " + checkpoints + " by " + ExternalProcess.PYTHON +
				" with torch and onnx, which is missing");
			return null;
		}
		return export(home, err, name, partial -> List.of(ExternalProcess.PYTHON.toString(),
			training.resolve("export_synthetic.py").toString(), "--source", checkpoints.toString(), "--decoder", decoder,
			"--out", partial.toString()));
	}

	private static Path standardExport(final LuminaHome home, final PrintWriter err, final String name,
		final List<String> extraArguments) throws IOException
	{
		final Path cached = cached(home, name);
		if (cached != null) return cached;
		if (!ExternalProcess.pythonWithTorch()) {
			throw new IllegalArgumentException("the standard benchmark model is generated by the Python exporter, which " +
				"needs " + ExternalProcess.PYTHON + " with torch and onnx (Debian python3-torch, python3-onnx); install " +
				"them, or pass --model DIR to benchmark a bundle you have");
		}
		return export(home, err, name, partial -> {
			final List<String> command = new ArrayList<>(List.of(ExternalProcess.PYTHON.toString(), home.exporter().resolve(
				"export.py").toString(), "--tiny", "--seed", "1", "--hidden", "512", "--layers", "8", "--heads", "8",
				"--no-references", "--quiet", "--name", name, "--out", partial.toString()));
			command.addAll(extraArguments);
			return command;
		});
	}

	/**
	 * @param command the export command, given the temporary folder it must write the bundle to
	 * @return {@code .lumina-cache/<name>}, running {@code command} first when it holds no bundle
	 */
	private static Path export(final LuminaHome home, final PrintWriter err, final String name,
		final Function<Path, List<String>> command) throws IOException
	{
		final Path bundle = home.cache().resolve(name);
		if (cached(home, name) != null) return bundle;
		err.println("lumina: creating the model " + name + " (once) in " + bundle);
		Files.createDirectories(home.cache());
		final Path partial = home.cache().resolve("." + name + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
		try {
			final List<String> arguments = command.apply(partial);
			final ExternalProcess export = ExternalProcess.run(arguments, Map.of(), TIMEOUT_SECONDS);
			if (!export.succeeded()) {
				throw new IllegalArgumentException(Path.of(arguments.get(1)).getFileName() + " could not create the " +
					"model " + name + " (exit " + export.exitCode() + "): " + export.lastErrorLine() +
					"; fix that, or pass --model DIR");
			}
			Files.move(partial, bundle, StandardCopyOption.ATOMIC_MOVE);
			return bundle;
		}
		finally {
			deleteTree(partial);
		}
	}

	/** @return {@code .lumina-cache/<name>} when it holds a bundle, else {@code null} */
	private static Path cached(final LuminaHome home, final String name) {
		final Path bundle = home.cache().resolve(name);
		return ModelFolder.isBundle(bundle) ? bundle : null;
	}

	/** @return the first 12 hex digits of the SHA-256 of the files' contents, in order */
	private static String digest(final List<Path> files) throws IOException {
		try {
			final MessageDigest sha = MessageDigest.getInstance("SHA-256");
			for (final Path file : files) {
				try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
					in.transferTo(OutputStream.nullOutputStream());
				}
			}
			return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}

	private static void deleteTree(final Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (var paths = Files.walk(dir)) {
			for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
		}
	}
}
