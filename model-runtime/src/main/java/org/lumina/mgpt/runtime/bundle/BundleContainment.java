package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.ModelException;

/**
 * A bundle may only use files inside its own folder. The manifest reader already refuses
 * absolute and {@code ..} paths; this also follows symbolic links, so a link that points
 * outside the bundle is refused before anything is loaded.
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
	}
}
