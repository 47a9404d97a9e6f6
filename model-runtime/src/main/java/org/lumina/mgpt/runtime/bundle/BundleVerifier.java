package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.lumina.mgpt.runtime.ModelException;

/**
 * Checks the SHA-256 of every file of a bundle (and of each ONNX external-data file) against the
 * manifest. Hashes are cached in {@code <bundle>/.verified} by path, size and modification time,
 * so a bundle whose files did not change is verified without reading them again; the cache is
 * not written when the bundle folder is read-only.
 * <p>
 * Thread-safe, but two verifiers of the same bundle at once may each hash the files.
 */
public final class BundleVerifier {

	private final FileHasher hasher;

	/** Creates a verifier that hashes with SHA-256. */
	public BundleVerifier() {
		this(FileHasher.SHA256);
	}

	BundleVerifier(final FileHasher hasher) {
		this.hasher = hasher;
	}

	/**
	 * Verifies every file of {@code manifest}'s bundle.
	 *
	 * @throws ModelException naming the first missing file, or the first file whose checksum does
	 *           not match (with both hashes and the fix)
	 */
	public void verify(final ModelManifest manifest) {
		final Path dir = manifest.directory();
		final VerificationCache cache = VerificationCache.load(dir);
		ModelException mismatch = null;
		try {
			for (final BundleFile file : manifest.files().all()) {
				final String actual = hash(manifest, file, cache);
				if (mismatch == null && !actual.equals(file.sha256())) {
					mismatch = new ModelException(dir, "checksum mismatch for " + file.path() + ": expected " +
						file.sha256() + ", found " + actual + "; the file is corrupt or was changed: re-export or " +
						"re-download the bundle");
				}
			}
		}
		finally {
			cache.save();
		}
		if (mismatch != null) throw mismatch;
	}

	private String hash(final ModelManifest manifest, final BundleFile file, final VerificationCache cache) {
		final Path path = manifest.resolve(file);
		if (!Files.isRegularFile(path)) {
			throw new ModelException(manifest.directory(), file.path() + " is missing from the model bundle (listed in " +
				ManifestFields.MANIFEST + " as " + file.key() + "); re-export or re-download the bundle");
		}
		try {
			final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
			final String cached = cache.lookup(file.path(), attributes).orElse(null);
			if (cached != null) return cached;
			final String sha256 = hasher.sha256(path);
			cache.put(file.path(), attributes, sha256);
			return sha256;
		}
		catch (final IOException e) {
			throw new ModelException(manifest.directory(), "cannot read " + file.path() + ": " + e.getMessage(), e);
		}
	}
}
