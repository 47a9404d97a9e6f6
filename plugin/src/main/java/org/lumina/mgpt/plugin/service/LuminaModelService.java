package org.lumina.mgpt.plugin.service;

import java.io.File;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.Model;
import org.scijava.service.SciJavaService;

/**
 * Opens model bundles once and shares them between commands: a {@link Model} is kept per
 * canonical bundle folder, device and CPU thread count until the context is disposed, which
 * closes it. Also holds the user's {@link LuminaSettings}.
 */
public interface LuminaModelService extends SciJavaService {

	/**
	 * Returns the open model of {@code bundle} for the current settings' device and threads,
	 * opening (and checksum-verifying) it on first use. Thread-safe; do not close the result.
	 *
	 * @throws org.lumina.mgpt.runtime.ModelException when the bundle cannot be opened
	 */
	Model model(Path bundle);

	/** @return the stored settings ({@link LuminaSettings#DEFAULTS} when none are stored) */
	LuminaSettings settings();

	/** Stores {@code settings}; later {@link #model} calls use its device and thread count. */
	void setSettings(LuminaSettings settings);

	/**
	 * Chooses the bundle folder of a command: {@code modelDir} when given, else the Settings'
	 * default folder, else the bundled demo model.
	 *
	 * @throws IllegalArgumentException naming the folders searched when there is no bundle
	 */
	default Path resolveBundle(final File modelDir) {
		if (modelDir != null && !modelDir.getPath().isBlank()) return modelDir.toPath().toAbsolutePath().normalize();
		final String stored = settings().modelDir();
		if (!stored.isEmpty()) return Path.of(stored).toAbsolutePath().normalize();
		return BundledModels.preferred().orElseThrow(() -> new IllegalArgumentException(
			"no model folder given (model_dir) or set in Plugins > Lumina-mGPT > Settings, and no bundled model in " +
				BundledModels.modelFolders()));
	}
}
