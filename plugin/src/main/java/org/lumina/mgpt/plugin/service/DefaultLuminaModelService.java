package org.lumina.mgpt.plugin.service;

import java.nio.file.Path;
import java.util.List;

import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.ModelOptions;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.prefs.PrefService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/** Keeps loaded models in one {@link LoadedModels}, keyed by canonical bundle folder, device and threads. */
@Plugin(type = Service.class)
public class DefaultLuminaModelService extends AbstractService implements LuminaModelService {

	private static final String DEVICE = "device";
	private static final String CPU_THREADS = "cpu_threads";
	private static final String MODEL_DIR = "model_dir";

	@Parameter(required = false)
	private PrefService prefs;

	@Parameter(required = false)
	private LogService log;

	private final LoadedModels models = new LoadedModels();

	// -- LuminaModelService methods --

	@Override
	public LoadedModels.Lease acquire(final Path bundle, final LoadProgress progress) {
		final LuminaSettings settings = settings();
		final LoadedModels.Lease lease = models.acquire(bundle, new ModelOptions(settings.parsedDevice(), settings
			.cpuThreads(), true), progress);
		if (log != null && lease.loadedNow()) {
			log.info("Lumina-mGPT: loaded " + lease.key() + " (" + lease.model().providerReport() + ")");
		}
		return lease;
	}

	@Override
	public List<LoadedModels.Entry> loaded() {
		return models.loaded();
	}

	@Override
	public List<LoadedModels.Entry> release(final Path bundle) {
		return bundle == null ? models.releaseAll() : models.release(bundle);
	}

	@Override
	public LuminaSettings settings() {
		if (prefs == null) return LuminaSettings.DEFAULTS;
		final LuminaSettings d = LuminaSettings.DEFAULTS;
		try {
			return new LuminaSettings(prefs.get(getClass(), DEVICE, d.device()), prefs.getInt(getClass(), CPU_THREADS, d
				.cpuThreads()), prefs.get(getClass(), MODEL_DIR, d.modelDir()));
		}
		catch (final IllegalArgumentException e) {
			if (log != null) log.warn("Lumina-mGPT: ignoring invalid stored settings: " + e.getMessage());
			return d;
		}
	}

	@Override
	public void setSettings(final LuminaSettings settings) {
		if (prefs == null) throw new IllegalStateException("no PrefService in this context: cannot store settings");
		prefs.put(getClass(), DEVICE, settings.device());
		prefs.put(getClass(), CPU_THREADS, settings.cpuThreads());
		prefs.put(getClass(), MODEL_DIR, settings.modelDir());
	}

	// -- Disposable methods --

	@Override
	public void dispose() {
		models.close();
	}
}
