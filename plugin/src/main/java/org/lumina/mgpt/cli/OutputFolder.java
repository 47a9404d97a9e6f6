package org.lumina.mgpt.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a run's files so that a failed or cancelled run leaves nothing that looks complete:
 * each file is first written under a hidden temporary name in the output folder, and
 * {@link #commit()} renames them to their final names in the order they were asked for (put the
 * completion marker, {@code generation.json}, last). {@link #close()} without a commit deletes
 * the temporary files, and the folder when this run created it. Not thread-safe.
 */
public final class OutputFolder implements AutoCloseable {

	private final Path dir;
	private final boolean created;
	private final String tag = UUID.randomUUID().toString().substring(0, 8);
	private final List<String> names = new ArrayList<>();
	private boolean committed;

	private OutputFolder(final Path dir, final boolean created) {
		this.dir = dir;
		this.created = created;
	}

	/**
	 * Opens (creating it and its parents when needed) the folder {@code dir}.
	 *
	 * @throws IllegalArgumentException when {@code dir} exists and is not a folder
	 */
	public static OutputFolder open(final Path dir) throws IOException {
		final Path absolute = dir.toAbsolutePath().normalize();
		if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
			throw new IllegalArgumentException("output folder " + absolute + " is a file; pass --out with a folder");
		}
		final boolean created = !Files.exists(absolute);
		Files.createDirectories(absolute);
		return new OutputFolder(absolute, created);
	}

	/** @return the folder the files end up in */
	public Path dir() {
		return dir;
	}

	/**
	 * @param name the final file name; its extension is kept (writers pick the format from it)
	 * @return the temporary path to write that file to now
	 */
	public Path file(final String name) {
		if (committed) throw new IllegalStateException("this output folder is committed; open a new one");
		names.add(name);
		return temporary(name);
	}

	/**
	 * Renames every file to its final name (replacing older files of that name), in order.
	 *
	 * @return the final paths
	 */
	public List<Path> commit() throws IOException {
		final List<Path> finals = new ArrayList<>();
		for (final String name : names) {
			final Path target = dir.resolve(name);
			try {
				Files.move(temporary(name), target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temporary(name), target, StandardCopyOption.REPLACE_EXISTING);
			}
			finals.add(target);
		}
		committed = true;
		return finals;
	}

	/** Deletes what an uncommitted run wrote; never throws. */
	@Override
	public void close() {
		if (committed) return;
		for (final String name : names) {
			try {
				Files.deleteIfExists(temporary(name));
			}
			catch (final IOException e) {
				// NB: best effort; a leftover hidden .partial file does not look like a result
			}
		}
		if (created) {
			try (Stream<Path> entries = Files.list(dir)) {
				if (entries.findAny().isEmpty()) Files.delete(dir);
			}
			catch (final IOException e) {
				// NB: best effort, as above
			}
		}
	}

	private Path temporary(final String name) {
		return dir.resolve(".partial-" + tag + "-" + name);
	}
}
