package org.lumina.mgpt.plugin.command;

import java.io.File;
import java.util.List;

import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.plugin.service.LuminaSettings;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; Lumina-mGPT &gt; Settings: the device, CPU threads and default model folder, kept
 * with SciJava's {@code PrefService}. Models already opened stay open; the next command opens
 * the model again when the device or threads changed.
 */
@Plugin(type = Command.class)
public class SettingsCommand implements Command, DialogHints {

	@Parameter
	private LuminaModelService models;

	@Parameter
	private LogService log;

	@Parameter(label = "device", choices = { "auto", "cpu", "cuda" }, persist = false,
		description = "Where models run: auto (CUDA when usable, else CPU), cpu or cuda")
	private String device = "auto";

	@Parameter(label = "gpu", min = "0", persist = false,
		description = "Which CUDA device when device is cuda (0 = the first)")
	private int gpu = 0;

	@Parameter(label = "cpu_threads", min = "0", persist = false,
		description = "ONNX Runtime threads on the CPU; 0 = every core")
	private int cpu_threads = 0;

	@Parameter(label = "model_dir", style = "directory", required = false, persist = false,
		description = "Default model bundle folder, or folder of bundles (one per task family); empty = the bundled " +
			"demo model")
	private File model_dir;

	// -- Runnable methods --

	@Override
	public void run() {
		final String dir = model_dir == null ? "" : model_dir.getPath();
		final String chosen = "cuda".equals(device) && gpu > 0 ? "cuda:" + gpu : device;
		models.setSettings(new LuminaSettings(chosen, cpu_threads, dir));
		log.info("Lumina-mGPT settings: device=" + chosen + ", cpu_threads=" + cpu_threads + ", model_dir=" +
			(dir.isEmpty() ? "(bundled model)" : dir));
	}

	// -- DialogHints methods --

	@Override
	public List<String> choices(final String field, final Context context) {
		return List.of();
	}

	@Override
	public Object initialValue(final String field, final Context context, final Object fallback) {
		final LuminaSettings settings = context.service(LuminaModelService.class).settings();
		switch (field) {
			case "device":
				return settings.device().startsWith("cuda") ? "cuda" : settings.device();
			case "gpu":
				return settings.parsedDevice().gpuIndex();
			case "cpu_threads":
				return settings.cpuThreads();
			case "model_dir":
				return settings.modelDir();
			default:
				return fallback;
		}
	}
}
