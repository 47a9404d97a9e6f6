package org.lumina.mgpt.e2e.macro;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The release zip the plugin module builds ({@code plugin/target/Lumina_mGPT-<version>-fiji.zip}). */
final class ReleaseZip {

	private ReleaseZip() {}

	/**
	 * @return the zip built by {@code mvn package} in the plugin module
	 * @throws IllegalStateException when there is none (the fix: build the plugin module first)
	 */
	static Path find(final Path home) throws IOException {
		final Path target = home.resolve("plugin/target");
		try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
			final List<Path> zips = files.filter(p -> p.getFileName().toString().matches("Lumina_mGPT-.*-fiji\\.zip"))
				.toList();
			if (zips.size() != 1) {
				throw new IllegalStateException("expected one release zip in " + target + ", found " + zips +
					"; run 'mvn package' in the plugin module (the reactor build does)");
			}
			return zips.get(0);
		}
	}

	/** Unzips {@code zip} into {@code app}, as a user unzips it into Fiji.app. */
	static void install(final Path zip, final Path app) throws IOException {
		try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
			for (ZipEntry entry; (entry = entries.getNextEntry()) != null;) {
				final Path target = app.resolve(entry.getName()).normalize();
				if (!target.startsWith(app)) throw new IOException("zip entry outside the app folder: " + entry.getName());
				if (entry.isDirectory()) Files.createDirectories(target);
				else {
					Files.createDirectories(target.getParent());
					Files.copy(entries, target);
				}
			}
		}
	}
}
