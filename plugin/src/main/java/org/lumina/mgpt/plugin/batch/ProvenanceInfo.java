package org.lumina.mgpt.plugin.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.TiffDecoder;

import org.lumina.mgpt.plugin.display.ProvenanceWriter;

/**
 * The provenance of a result TIFF: the {@code key=value} lines of its ImageJ Info, read from
 * the file header without reading the pixels; and the input file's checksum that goes into it.
 */
final class ProvenanceInfo {

	private ProvenanceInfo() {}

	/** @return the {@code key=value} lines of {@code info} (keys and values trimmed), in order */
	static Map<String, String> parse(final String info) {
		final Map<String, String> entries = new LinkedHashMap<>();
		if (info == null) return entries;
		for (final String line : info.split("\\R")) {
			final int eq = line.indexOf('=');
			if (eq > 0) entries.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
		}
		return entries;
	}

	/**
	 * @return the provenance of the TIFF {@code file}; empty when it has none or cannot be read
	 *         (an unreadable old result is redone, not a failure)
	 */
	static Map<String, String> read(final Path file) {
		if (!Files.isRegularFile(file)) return Map.of();
		try {
			final Path dir = file.toAbsolutePath().getParent();
			final FileInfo[] infos = new TiffDecoder(dir + java.io.File.separator, file.getFileName().toString())
				.getTiffInfo();
			return infos == null || infos.length == 0 ? Map.of() : parse(infos[0].info);
		}
		catch (final IOException | RuntimeException e) {
			return Map.of();
		}
	}

	/** Adds (or replaces) {@code key=value} in the Info and the {@code lumina.} properties of {@code image}. */
	static void add(final ImagePlus image, final String key, final String value) {
		final Object old = image.getProperty("Info");
		final StringBuilder info = new StringBuilder();
		if (old instanceof String text) {
			for (final String line : text.split("\\R")) {
				if (!line.isEmpty() && !line.startsWith(key + "=")) info.append(line).append('\n');
			}
		}
		info.append(key).append('=').append(value).append('\n');
		image.setProperty("Info", info.toString());
		image.setProp(ProvenanceWriter.PREFIX + key, value);
	}

	/** @return the SHA-256 of {@code file}'s bytes, lower-case hex */
	static String sha256(final Path file) throws IOException {
		final MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java platform has SHA-256", e);
		}
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/**
	 * @param expected provenance values as a run gives them
	 * @param actual provenance read back from a file (line breaks inside values escaped)
	 * @return the first key of {@code expected} whose value {@code actual} lacks or differs in,
	 *         as {@code key (was X, now Y)}, or {@code null} when all agree
	 */
	static String difference(final Map<String, String> expected, final Map<String, String> actual) {
		for (final Map.Entry<String, String> e : parse(ProvenanceWriter.infoText(expected)).entrySet()) {
			final String old = actual.get(e.getKey());
			if (!e.getValue().equals(old)) return e.getKey() + " (was " + old + ", now " + e.getValue() + ")";
		}
		return null;
	}
}
