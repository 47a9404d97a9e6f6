package org.lumina.mgpt.runtime;

/**
 * How a model bundle is opened.
 *
 * @param device where the ONNX graphs run
 * @param cpuThreads intra-op threads on the CPU; 0 lets ONNX Runtime use every core
 * @param verifyChecksums whether to check every file's SHA-256 against the manifest (cached per
 *        file, so only the first load of a bundle pays for it)
 * @param strictDevice on CUDA, refuse a graph with nodes that ONNX Runtime would run on the CPU
 *        ({@code session.disable_cpu_ep_fallback}) instead of reporting them
 */
public record ModelOptions(Device device, int cpuThreads, boolean verifyChecksums, boolean strictDevice) {

	/** Options without strict device placement. */
	public ModelOptions(final Device device, final int cpuThreads, final boolean verifyChecksums) {
		this(device, cpuThreads, verifyChecksums, false);
	}

	public ModelOptions {
		if (device == null) throw new IllegalArgumentException("device must be given (auto, cpu or cuda[:N])");
		if (cpuThreads < 0) {
			throw new IllegalArgumentException("cpu threads must be >= 0 (0 = all cores), got " + cpuThreads);
		}
	}

	/** @return CPU, all cores, checksums verified */
	public static ModelOptions cpu() {
		return new ModelOptions(Device.CPU, 0, true);
	}

	/** @return a copy running on {@code newDevice} */
	public ModelOptions withDevice(final Device newDevice) {
		return new ModelOptions(newDevice, cpuThreads, verifyChecksums, strictDevice);
	}

	/** @return a copy with {@code threads} CPU threads */
	public ModelOptions withCpuThreads(final int threads) {
		return new ModelOptions(device, threads, verifyChecksums, strictDevice);
	}

	/** @return a copy with strict device placement on or off */
	public ModelOptions withStrictDevice(final boolean strict) {
		return new ModelOptions(device, cpuThreads, verifyChecksums, strict);
	}
}
