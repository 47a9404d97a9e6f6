package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.ModelException;

/**
 * A bundle may only use files inside its own folder. The manifest reader already refuses
 * absolute and {@code ..} paths; this also follows symbolic links, so a link that points
 * outside the bundle is refused before anything is loaded, and reads the weight files each ONNX
 * graph names itself (ONNX Runtime would open them relative to the graph), which must be the
 * ones the manifest lists, with their checksums, for that graph.
 */
final class BundleContainment {

	private BundleContainment() {}

	/** @throws ModelException naming the manifest key of a file that resolves outside the bundle */
	static void check(final ModelManifest manifest) {
		final Path root;
		try {
			root = manifest.directory().toRealPath();
		}
		catch (final IOException e) {
			throw new ModelException(manifest.directory(), "cannot resolve the model folder: " + e.getMessage(), e);
		}
		for (final BundleFile file : manifest.files().all()) {
			final Path path = manifest.resolve(file);
			if (!Files.exists(path)) continue; // reported as missing by the BundleVerifier, with its key
			try {
				if (!path.toRealPath().startsWith(root)) {
					throw new ModelException(manifest.directory(), file.key() + ": " + file.path() +
						" is a link to a file outside the bundle folder; bundles may only use their own files. Copy the " +
						"file into the bundle instead of linking it");
				}
			}
			catch (final IOException e) {
				throw new ModelException(manifest.directory(), file.key() + ": cannot resolve " + file.path() + ": " +
					e.getMessage(), e);
			}
		}
		for (final BundleFile graph : manifest.files().all()) {
			if (graph.path().endsWith(".onnx")) checkExternalData(manifest, graph);
		}
	}

	/** @throws ModelException when {@code graph} names a weight file its manifest entry does not list */
	private static void checkExternalData(final ModelManifest manifest, final BundleFile graph) {
		final Path file = manifest.resolve(graph);
		if (!Files.isRegularFile(file)) return; // NB: reported as missing by the BundleVerifier
		final java.util.Set<String> named;
		try {
			named = OnnxExternalData.locations(file);
		}
		catch (final IOException e) {
			return; // NB: not a protobuf message: ONNX Runtime refuses to load it, naming the file
		}
		final Path folder = file.toAbsolutePath().getParent();
		for (final String location : named) {
			final Path target = folder.resolve(location).normalize();
			final boolean listed = graph.externalData().stream().anyMatch(d -> manifest.resolve(d).toAbsolutePath()
				.normalize().equals(target));
			if (!listed) {
				throw new ModelException(manifest.directory(), graph.key() + ": " + graph.path() +
					" reads its weights from '" + location + "', which lumina-model.json does not list for it" + (target
						.startsWith(manifest.directory().toAbsolutePath().normalize()) ? "" : " and which lies outside the bundle folder") +
					"; bundles may only use their own, checksummed files: re-export the bundle");
			}
		}
	}
}
