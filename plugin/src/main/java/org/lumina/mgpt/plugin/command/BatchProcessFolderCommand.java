package org.lumina.mgpt.plugin.command;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.lumina.mgpt.plugin.batch.BatchInputs;
import org.lumina.mgpt.plugin.batch.BatchListener;
import org.lumina.mgpt.plugin.batch.BatchRunner;
import org.lumina.mgpt.plugin.batch.BatchSummary;
import org.lumina.mgpt.plugin.batch.TaskBatch;
import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.scijava.Cancelable;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Batch Process Folder: runs one task on every image of a folder into
 * {@code <output_dir>/<basename>-<task>.tif} (and {@code .csv}, {@code .txt}), as
 * {@code ./lumina run} does: resumable, atomic, going on past broken files. The summary and one
 * line per failure are the {@code summary} output (and go to the log).
 */
@Plugin(type = Command.class, label = "Batch Process Folder")
public class BatchProcessFolderCommand extends AbstractTaskCommand {

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService statusService;

	@Parameter(label = "input_dir", style = "directory", persist = false,
		description = "Folder of images (name order; other files are skipped)")
	private File input_dir;

	@Parameter(label = "output_dir", style = "directory", persist = false,
		description = "Where the results go (created when missing)")
	private File output_dir;

	@Parameter(label = "task", persist = false, choices = { "depth", "normals", "segmentation", "pose", "detect",
		"condition", "edit", "describe", "ask" }, description = "The task to run on each image")
	private String task = "depth";

	@Parameter(label = "object", required = false, persist = false, description = "detect: what to find")
	private String object = "";

	@Parameter(label = "caption", required = false, persist = false, description = "condition: the image's description")
	private String caption = "";

	@Parameter(label = "instruction", required = false, persist = false, description = "edit: what to change")
	private String instruction = "";

	@Parameter(label = "question", required = false, persist = false, description = "ask: the question about each image")
	private String question = "";

	@Parameter(label = "all_planes", persist = false, description = "Process every plane of a stack (else the first)")
	private boolean all_planes = true;

	@Parameter(label = "overwrite", persist = false,
		description = "Redo images whose result exists with the same provenance (else they are skipped)")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "summary")
	private String summary;

	@Override
	protected String taskId() {
		return task;
	}

	/**
	 * Not used. NB: this command extends {@link AbstractTaskCommand} for its model, seed and
	 * sampling fields (the same macro keys as every task command) but replaces {@link #run()}.
	 */
	@Override
	protected org.lumina.mgpt.plugin.core.TaskRequest request(final Task t, final Model model) {
		throw new UnsupportedOperationException("Batch Process Folder builds one request per image");
	}

	// -- Runnable methods --

	@Override
	public void run() {
		final Task t = TaskCatalog.standard().get(task);
		if (t.inputs() == 0) throw new IllegalArgumentException("task must take an input image, got " + task);
		final BatchSummary done;
		try (LoadedModels.Lease lease = leaseModel(t)) {
			final Model model = lease.model();
			final TaskBatch batch = new TaskBatch(model, t, fields(), ConvertOptions.defaults().withAllPlanes(all_planes),
				sampling().resolve(model.manifest(), t, null), null, seed);
			final List<Path> inputs = BatchInputs.list(input_dir.toPath(), log::info);
			done = new BatchRunner(batch, output_dir.toPath(), overwrite, listener(), this::isCanceled).run(inputs);
		}
		catch (final IOException e) {
			throw new UncheckedIOException("cannot list " + input_dir + " or write to " + output_dir, e);
		}
		catch (final CancellationException e) {
			if (!isCanceled()) cancel("canceled"); // NB: the model load was cancelled; no image was started
			return;
		}
		summary = String.join("\n", done.lines());
		for (final String line : done.lines()) log.info("Lumina-mGPT batch: " + line);
	}

	// -- Helper methods --

	private Map<String, String> fields() {
		final Map<String, String> fields = new LinkedHashMap<>();
		fields.putAll(fields("object", object));
		fields.putAll(fields("caption", caption));
		fields.putAll(fields("instruction", instruction));
		fields.putAll(fields("question", question));
		return fields;
	}

	private BatchListener listener() {
		final StatusProgress progress = new StatusProgress(statusService);
		return new BatchListener() {

			@Override
			public void onInput(final int index, final int total, final Path file) {
				if (statusService != null) statusService.showStatus(index, total, "Lumina-mGPT batch: " + file.getFileName());
			}

			@Override
			public void onProgress(final String phase, final int done, final int total) {
				progress.update(phase, done, total);
			}

			@Override
			public void onNote(final String message) {
				log.info("Lumina-mGPT batch: " + message);
			}
		};
	}
}
