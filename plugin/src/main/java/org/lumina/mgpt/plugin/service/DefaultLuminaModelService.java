package org.lumina.mgpt.plugin.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.prefs.PrefService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/** Keeps opened models in memory, keyed by canonical bundle folder, device and threads. */
@Plugin(type = Service.class)
public class DefaultLuminaModelService extends AbstractService implements LuminaModelService {

	private static final String DEVICE = "device";
	private static final String CPU_THREADS = "cpu_threads";
	private static final String MODEL_DIR = "model_dir";

	@Parameter(required = false)
	private PrefService prefs;

	@Parameter(required = false)
	private LogService log;

	private final Map<String, Model> models = new LinkedHashMap<>();

	// -- LuminaModelService methods --

	@Override
	public synchronized Model model(final Path bundle) {
		final LuminaSettings settings = settings();
		final Path canonical = canonical(bundle);
		final String key = canonical + "|" + settings.parsedDevice() + "|" + settings.cpuThreads();
		Model model = models.get(key);
		if (model == null) {
			model = Model.open(canonical, new ModelOptions(settings.parsedDevice(), settings.cpuThreads(), true));
			if (log != null) log.info("Lumina-mGPT: opened " + canonical + " (" + model.providerReport() + ")");
			models.put(key, model);
		}
		return model;
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
	public synchronized void dispose() {
		for (final Model model : models.values()) {
			try {
				model.close();
			}
			catch (final RuntimeException e) {
				if (log != null) log.warn("Lumina-mGPT: closing a model failed", e);
			}
		}
		models.clear();
	}

	/** @return how many models are open, for tests */
	synchronized int openModelCount() {
		return models.size();
	}

	// -- Helper methods --

	private static Path canonical(final Path bundle) {
		try {
			return bundle.toRealPath();
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("model folder " + bundle + " does not exist or cannot be read", e);
		}
	}
}
