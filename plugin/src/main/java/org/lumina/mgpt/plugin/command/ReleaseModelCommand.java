package org.lumina.mgpt.plugin.command;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * Plugins &gt; Lumina-mGPT &gt; Release Model: frees the memory of loaded models (a 7B bundle
 * holds 14 GB): those of one bundle, of every bundle beneath a folder of bundles, or all. An idle
 * model is closed at once; one that a command is using is closed when that command ends, so
 * nothing running is cut short. The next command loads the model again.
 */
@Plugin(type = Command.class)
public class ReleaseModelCommand implements Command {

	@Parameter
	private LuminaModelService models;

	@Parameter
	private LogService log;

	@Parameter(label = "model_dir", style = "directory", required = false, persist = false,
		description = "Bundle folder, or folder of bundles, whose models to release; empty = every loaded model")
	private File model_dir;

	@Parameter(type = ItemIO.OUTPUT, label = "released")
	private ResultsTable released;

	// -- Runnable methods --

	@Override
	public void run() {
		final Path folder = model_dir == null || model_dir.getPath().isBlank() ? null : model_dir.toPath();
		final List<LoadedModels.Entry> entries = folder == null ? models.release(null) : releaseEach(ModelFolder.find(
			folder));
		released = new ResultsTable();
		for (final LoadedModels.Entry entry : entries) {
			final String state = entry.users() == 0 ? "closed" : "closes when its " + entry.users() +
				" running command(s) end";
			released.incrementCounter();
			released.addValue("model", entry.name() == null ? "(loading)" : entry.name());
			released.addValue("folder", entry.key().bundle().toString());
			released.addValue("device", entry.key().device().toString());
			released.addValue("state", state);
			log.info("Lumina-mGPT: released " + entry.key() + ": " + state);
		}
		if (entries.isEmpty()) {
			log.info("Lumina-mGPT: no model " + (folder == null ? "is loaded" : "of " + folder + " is loaded"));
		}
	}

	// -- Helper methods --

	/** @return the models released of each bundle (e.g. one per task family of a folder of bundles) */
	private List<LoadedModels.Entry> releaseEach(final List<Path> bundles) {
		final List<LoadedModels.Entry> entries = new ArrayList<>();
		for (final Path bundle : bundles) entries.addAll(models.release(bundle));
		return entries;
	}
}
