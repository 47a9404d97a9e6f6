package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The hashes of bundle files computed earlier, kept in {@code <bundle>/.verified} as JSON
 * ({@code {"files": [{"path", "size", "mtime_ns", "sha256"}]}}) so that unchanged files are not
 * hashed again. An entry counts only while the file's size and modification time are unchanged.
 * A missing or unreadable cache is treated as empty; a cache that cannot be written (read-only
 * bundle) is silently not written.
 */
final class VerificationCache {

	static final String FILE_NAME = ".verified";

	private static final ObjectMapper JSON = new ObjectMapper();

	/** What was known about one file when it was hashed. */
	record Entry(long size, long mtimeNanos, String sha256) {}

	private final Path bundle;
	private final Map<String, Entry> entries = new TreeMap<>();

	private VerificationCache(final Path bundle) {
		this.bundle = bundle;
	}

	/** Loads the cache of {@code bundle}; never fails. */
	static VerificationCache load(final Path bundle) {
		final VerificationCache cache = new VerificationCache(bundle);
		try {
			final JsonNode files = JSON.readTree(bundle.resolve(FILE_NAME).toFile()).get("files");
			for (final JsonNode f : files) {
				cache.entries.put(f.get("path").asText(), new Entry(f.get("size").asLong(), f.get("mtime_ns").asLong(),
					f.get("sha256").asText()));
			}
		}
		catch (final IOException | RuntimeException e) {
			cache.entries.clear(); // NB: absent or damaged: start again, the files get hashed
		}
		return cache;
	}

	/** @return the cached hash of {@code path} when its size and modification time are unchanged */
	Optional<String> lookup(final String path, final BasicFileAttributes attributes) {
		final Entry entry = entries.get(path);
		if (entry == null || entry.size() != attributes.size() || entry.mtimeNanos() != mtime(attributes)) {
			return Optional.empty();
		}
		return Optional.of(entry.sha256());
	}

	void put(final String path, final BasicFileAttributes attributes, final String sha256) {
		entries.put(path, new Entry(attributes.size(), mtime(attributes), sha256));
	}

	/** Writes the cache; does nothing when the bundle folder cannot be written. */
	void save() {
		if (!Files.isWritable(bundle)) return;
		final ObjectNode root = JSON.createObjectNode();
		final ArrayNode files = root.putArray("files");
		entries.forEach((path, e) -> files.addObject().put("path", path).put("size", e.size())
			.put("mtime_ns", e.mtimeNanos()).put("sha256", e.sha256()));
		final Path tmp = bundle.resolve(FILE_NAME + ".tmp");
		try {
			JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
			Files.move(tmp, bundle.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (final IOException e) {
			// NB: a cache is an optimisation; a bundle on read-only media simply gets hashed again
			try {
				Files.deleteIfExists(tmp);
			}
			catch (final IOException ignored) {}
		}
	}

	private static long mtime(final BasicFileAttributes attributes) {
		return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
	}
}
