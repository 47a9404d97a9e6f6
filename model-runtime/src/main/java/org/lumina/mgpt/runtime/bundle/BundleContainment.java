package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.ModelException;

/**
 * A bundle may only use its own files, and the files in the {@code shared/} folder beside it:
 * the bundles of one model folder (one per task family) share their VQ and tokenizer there
 * instead of each carrying a copy. The manifest reader refuses absolute paths and any other
 * {@code ..}; this also follows symbolic links, so a link that points outside the bundle (or out
 * of the shared folder) is refused before anything is loaded, and reads the weight files each
 * ONNX graph names itself (ONNX Runtime would open them relative to the graph), which must be
 * the ones the manifest lists, with their checksums, for that graph.
 */
final class BundleContainment {

	/** The folder beside the bundles of one model folder that holds the files they share. */
	static final String SHARED_FOLDER = "shared";

	private BundleContainment() {}

	/** @return whether a relative manifest path names a file inside the bundle folder */
	static boolean isOwn(final Path relative) {
		final Path p = relative.normalize();
		return !p.startsWith("..") && !p.toString().isEmpty();
	}

	/** @return whether a relative manifest path names a file in the shared folder beside the bundle */
	static boolean isShared(final Path relative) {
		final Path p = relative.normalize();
		return p.getNameCount() > 2 && p.getName(0).toString().equals("..") && p.getName(1).toString().equals(
			SHARED_FOLDER) && isOwn(p.subpath(2, p.getNameCount()));
	}

	/** @throws ModelException naming the manifest key of a file that resolves outside where it may lie */
	static void check(final ModelManifest manifest) {
		final Path root = realPath(manifest, manifest.directory(), "the model folder");
		Path shared = null;
		for (final BundleFile file : manifest.files().all()) {
			final Path path = manifest.resolve(file);
			if (!Files.exists(path)) continue; // reported as missing by the BundleVerifier, with its key
			final boolean isShared = isShared(Path.of(file.path()));
			if (isShared && shared == null) shared = realPath(manifest, manifest.directory().resolve("..").resolve(
				SHARED_FOLDER).normalize(), "the shared folder");
			final Path allowed = isShared ? shared : root;
			if (!realPath(manifest, path, file.key() + ": " + file.path()).startsWith(allowed)) {
				throw new ModelException(manifest.directory(), file.key() + ": " + file.path() +
					" is a link to a file outside the " + (isShared ? "shared" : "bundle") + " folder; bundles may only " +
					"use their own files and those of the shared/ folder beside them. Copy the file in instead of " +
					"linking it");
			}
		}
		for (final BundleFile graph : manifest.files().all()) {
			if (graph.path().endsWith(".onnx")) checkExternalData(manifest, graph);
		}
	}

	private static Path realPath(final ModelManifest manifest, final Path path, final String what) {
		try {
			return path.toRealPath();
		}
		catch (final IOException e) {
			throw new ModelException(manifest.directory(), "cannot resolve " + what + ": " + e.getMessage(), e);
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
