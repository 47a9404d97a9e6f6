package org.lumina.mgpt.plugin.service;

import org.lumina.mgpt.runtime.Device;

/**
 * What the Settings command stores (with SciJava's {@code PrefService}): where models run and
 * which bundle commands use when their {@code model_dir} is left empty.
 *
 * @param device {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param cpuThreads ONNX Runtime intra-op threads on the CPU; 0 = every core
 * @param modelDir the default bundle folder; {@code ""} = the bundled demo model
 */
public record LuminaSettings(String device, int cpuThreads, String modelDir) {

	/** The settings of a fresh installation. */
	public static final LuminaSettings DEFAULTS = new LuminaSettings("auto", 0, "");

	public LuminaSettings {
		Device.parse(device); // NB: validates, naming the accepted forms
		if (cpuThreads < 0) {
			throw new IllegalArgumentException("cpu_threads must be >= 0 (0 = every core), got " + cpuThreads);
		}
		modelDir = modelDir == null ? "" : modelDir.trim();
	}

	/** @return the parsed device */
	public Device parsedDevice() {
		return Device.parse(device);
	}
}
