package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Computes the SHA-256 of a file as lower-case hex; a seam so tests can count the calls. */
@FunctionalInterface
interface FileHasher {

	String sha256(Path file) throws IOException;

	/** The real hasher: streams the file through a {@link MessageDigest}. */
	FileHasher SHA256 = file -> {
		final MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java platform has SHA-256", e);
		}
		final byte[] buffer = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buffer)) > 0;) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	};
}
