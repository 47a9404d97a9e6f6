package org.lumina.mgpt.plugin.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

import org.lumina.mgpt.cli.OutputFolder;

/**
 * Runs one {@link BatchTask} on many files: opens each with {@code IJ.openImage}, skips it when
 * {@code <out>/<basename>-<task>.tif} already exists with the same provenance (unless told to
 * overwrite), writes its outputs atomically (temporary names in the output folder, renamed when
 * all are written, the TIFF last), and keeps going past inputs that fail. The result's
 * provenance gets the {@value #INPUT_SHA256} of the input file. Plain Java: used by
 * {@code ./lumina run} and the Batch Process Folder command. Not thread-safe.
 */
public final class BatchRunner {

	/** The provenance key of the input file's SHA-256, which the runner adds to every result. */
	public static final String INPUT_SHA256 = "input_sha256";

	private final BatchTask task;
	private final Path outDir;
	private final boolean overwrite;
	private final BatchListener listener;
	private final BooleanSupplier cancelled;

	/**
	 * @param task what to compute for each input
	 * @param outDir where the outputs go (created when missing)
	 * @param overwrite whether to redo inputs whose result exists with the same provenance
	 * @param listener told about each input, plane and skipped file
	 * @param cancelled polled before each input and while one runs
	 */
	public BatchRunner(final BatchTask task, final Path outDir, final boolean overwrite, final BatchListener listener,
		final BooleanSupplier cancelled)
	{
		this.task = task;
		this.outDir = outDir.toAbsolutePath().normalize();
		this.overwrite = overwrite;
		this.listener = listener;
		this.cancelled = cancelled;
	}

	/** @return the result TIFF of the input {@code file} */
	public Path outputOf(final Path file) {
		return tiff(new Item(file, BatchInputs.baseName(file.getFileName().toString())));
	}

	/**
	 * Processes {@code inputs} in order.
	 *
	 * @return what was done, skipped and failed (with reasons)
	 * @throws CancellationException when cancelled; the input then running leaves no files
	 * @throws IllegalArgumentException when the output folder is a file
	 * @throws IOException when the output folder cannot be created
	 */
	public BatchSummary run(final List<Path> inputs) throws IOException {
		final List<Item> items = new ArrayList<>();
		for (final Path file : inputs) items.add(new Item(file, BatchInputs.baseName(file.getFileName().toString())));
		return runItems(items);
	}

	/**
	 * Runs a task that takes no input (text to image) once per name, in order; each run writes
	 * {@code <name>-<task>.tif}. Otherwise as {@link #run}.
	 */
	public BatchSummary runWithoutInput(final List<String> names) throws IOException {
		final List<Item> items = new ArrayList<>();
		for (final String name : names) items.add(new Item(null, name));
		return runItems(items);
	}

	// -- Helper methods --

	/** One thing to process: an input file (or none) and the base name of its outputs. */
	private record Item(Path file, String baseName) {

		Path label() {
			return file != null ? file : Path.of(baseName);
		}
	}

	private BatchSummary runItems(final List<Item> items) throws IOException {
		if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
			throw new IllegalArgumentException("output folder " + outDir + " is a file; pass an output folder");
		}
		Files.createDirectories(outDir);
		final List<Path> done = new ArrayList<>();
		final List<Path> skipped = new ArrayList<>();
		final List<BatchSummary.Failure> failed = new ArrayList<>();
		final Map<Path, Path> claimed = new HashMap<>(); // output TIFF -> the input that writes it
		for (int i = 0; i < items.size(); i++) {
			final Item item = items.get(i);
			if (cancelled.getAsBoolean()) throw new CancellationException("cancelled before " + item.label());
			listener.onInput(i, items.size(), item.label());
			final Path earlier = claimed.putIfAbsent(tiff(item), item.label());
			if (earlier != null) {
				failed.add(new BatchSummary.Failure(item.label(), "its output " + tiff(item).getFileName() + " is " +
					earlier + "'s; rename one of them"));
				continue;
			}
			try {
				if (process(item)) done.add(item.label());
				else skipped.add(item.label());
			}
			catch (final CancellationException e) {
				throw e;
			}
			catch (final Exception | OutOfMemoryError e) {
				failed.add(new BatchSummary.Failure(item.label(), reason(e)));
			}
		}
		return new BatchSummary(done, skipped, failed);
	}

	private Path tiff(final Item item) {
		return outDir.resolve(item.baseName() + "-" + task.id() + ".tif");
	}

	/** @return true when the outputs were written, false when an equal result exists */
	private boolean process(final Item item) throws Exception {
		final Path file = item.file();
		final ImagePlus input = file == null ? null : open(file);
		final String inputSha256 = file == null ? null : ProvenanceInfo.sha256(file);
		final Path tif = tiff(item);
		if (Files.exists(tif) && !overwrite) {
			final Map<String, String> identity = new LinkedHashMap<>(task.identity(input));
			if (inputSha256 != null) identity.put(INPUT_SHA256, inputSha256);
			final String difference = ProvenanceInfo.difference(identity, ProvenanceInfo.read(tif));
			if (difference == null) {
				listener.onNote("skipped " + item.label() + ": " + tif.getFileName() + " exists with the same provenance " +
					"(overwrite to redo it)");
				return false;
			}
			listener.onNote("redoing " + item.label() + ": " + tif.getFileName() + " differs in " + difference);
		}
		final BatchOutput output = task.run(input, listener, cancelled);
		if (inputSha256 != null) ProvenanceInfo.add(output.image(), INPUT_SHA256, inputSha256);
		write(output, item.baseName());
		return true;
	}

	private static ImagePlus open(final Path file) {
		// NB: for a file that is not what its extension says, IJ.openImage prints a message on
		// stdout; the header check catches that case for the formats ImageJ reads itself
		if (BatchInputs.isNativeImageName(file.getFileName().toString()) && new Opener().getFileType(file
			.toString()) == Opener.UNKNOWN)
		{
			throw new IllegalArgumentException("not a " + BatchInputs.extension(file.getFileName().toString())
				.toUpperCase(java.util.Locale.ROOT) + " file (its header is not one ImageJ knows; damaged or mislabelled)");
		}
		final ImagePlus image = IJ.openImage(file.toString());
		if (image == null) {
			throw new IllegalArgumentException("ImageJ cannot open it (not an image, an unsupported format or a " +
				"damaged file)");
		}
		return image;
	}

	/** Writes the table and text first and the TIFF (the resume marker) last, all or nothing. */
	private void write(final BatchOutput output, final String baseName) throws IOException {
		final String name = baseName + "-" + task.id();
		try (OutputFolder folder = OutputFolder.open(outDir)) {
			if (output.table() != null) output.table().saveAs(folder.file(name + ".csv").toString());
			if (output.text() != null) Files.writeString(folder.file(name + ".txt"), output.text());
			if (!new FileSaver(output.image()).saveAsTiff(folder.file(name + ".tif").toString())) {
				throw new IOException("cannot write " + name + ".tif in " + outDir);
			}
			folder.commit();
		}
	}

	/** @return one line saying what went wrong */
	private static String reason(final Throwable e) {
		final String message = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
		if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) return message;
		if (e instanceof IOException) return "I/O error: " + message;
		return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
	}
}
