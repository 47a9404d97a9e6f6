package org.lumina.mgpt.plugin.service;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.scijava.service.SciJavaService;

/**
 * Opens model bundles once and shares them between commands ({@link LoadedModels}, keyed by
 * canonical bundle folder, device and CPU thread count): a command leases the model for as long
 * as it runs; Release Model and disposing the context free the models. Also holds the user's
 * {@link LuminaSettings}.
 */
public interface LuminaModelService extends SciJavaService {

	/**
	 * Leases the model of {@code bundle} for the current settings' device and threads, loading
	 * (and checksum-verifying) it unless it is loaded. Thread-safe; close the lease when the
	 * command ends (never the model).
	 *
	 * @param progress told of each load phase; cancelling it stops the load between phases
	 * @throws org.lumina.mgpt.runtime.ModelException when the bundle cannot be opened
	 * @throws java.util.concurrent.CancellationException when {@code progress} was cancelled
	 */
	LoadedModels.Lease acquire(Path bundle, LoadProgress progress);

	/** @return the models loaded now, with how many commands use each */
	List<LoadedModels.Entry> loaded();

	/**
	 * Releases the models of {@code bundle}, or every model when it is {@code null}: idle ones
	 * are closed now, ones in use when their commands end.
	 *
	 * @return the models released
	 */
	List<LoadedModels.Entry> release(Path bundle);

	/** @return the stored settings ({@link LuminaSettings#DEFAULTS} when none are stored) */
	LuminaSettings settings();

	/** Stores {@code settings}; later {@link #model} calls use its device and thread count. */
	void setSettings(LuminaSettings settings);

	/**
	 * Chooses the model folder of a command, a bundle or a folder of bundles: {@code modelDir}
	 * when given, else the Settings' default folder, else the bundled demo model.
	 *
	 * @throws IllegalArgumentException naming the folders searched when there is no bundle
	 */
	default Path modelFolder(final File modelDir) {
		if (modelDir != null && !modelDir.getPath().isBlank()) return modelDir.toPath().toAbsolutePath().normalize();
		final String stored = settings().modelDir();
		if (!stored.isEmpty()) return Path.of(stored).toAbsolutePath().normalize();
		return BundledModels.preferred().orElseThrow(() -> new IllegalArgumentException(
			"no model folder given (model_dir) or set in Plugins > Lumina-mGPT > Settings, and no bundled model in " +
				BundledModels.modelFolders()));
	}

	/**
	 * Chooses the bundle a task of {@code family} runs on: the {@link #modelFolder} itself, or the
	 * first bundle beneath it trained for {@code family} ({@link ModelFolder#bundleFor}).
	 *
	 * @throws IllegalArgumentException when there is no such bundle, naming the folder and the family
	 */
	default Path resolveBundle(final File modelDir, final TaskFamily family) {
		return ModelFolder.bundleFor(modelFolder(modelDir), family);
	}
}
