package org.lumina.mgpt.plugin.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The files a batch processes: one file as given, or a folder's images in sorted order. */
public final class BatchInputs {

	/** File name extensions taken from a folder (lower case); ImageJ opens them all. */
	public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp",
		"pgm", "fits", "dcm");

	private BatchInputs() {}

	/**
	 * @param input a file (taken whatever its type: a non-image then fails as that input) or a
	 *          folder (its images, sorted by name; other files, hidden files and sub-folders are
	 *          skipped with a note)
	 * @param notes told about each skipped folder entry
	 * @throws IllegalArgumentException when {@code input} does not exist
	 */
	public static List<Path> list(final Path input, final Consumer<String> notes) throws IOException {
		if (Files.isRegularFile(input)) return List.of(input);
		if (!Files.isDirectory(input)) {
			throw new IllegalArgumentException("input " + input + " does not exist; pass an image file or a folder of images");
		}
		try (Stream<Path> entries = Files.list(input)) {
			return entries.sorted().filter(p -> {
				final String name = p.getFileName().toString();
				if (name.startsWith(".")) return false;
				if (!Files.isRegularFile(p)) {
					notes.accept("skipped " + p + ": a folder (sub-folders are not searched)");
					return false;
				}
				if (!IMAGE_EXTENSIONS.contains(extension(name))) {
					notes.accept("skipped " + p + ": not an image (extensions " + IMAGE_EXTENSIONS.stream().sorted().toList() + ")");
					return false;
				}
				return true;
			}).toList();
		}
	}

	/** @return {@code name} without its last extension ({@code cells.ome.tif} → {@code cells.ome}) */
	public static String baseName(final String name) {
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	/** @return whether {@code name}'s extension is one of the formats ImageJ 1 reads without plugins */
	static boolean isNativeImageName(final String name) {
		return Set.of("tif", "tiff", "png", "jpg", "jpeg", "gif", "bmp", "pgm").contains(extension(name));
	}

	/** @return the last extension of {@code name}, lower case, or {@code ""} */
	static String extension(final String name) {
		final int dot = name.lastIndexOf('.');
		return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
	}
}
