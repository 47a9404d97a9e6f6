package org.lumina.mgpt.runtime.onnx;

import java.nio.file.Path;
import java.util.Locale;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;

import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.ModelException;

/**
 * Opens ONNX Runtime sessions on the requested {@link Device}. {@code auto} tries CUDA and falls
 * back to the CPU; {@link #providerReport()} says which provider runs and why, in one line the
 * caller can log (the runtime itself never prints).
 */
public final class OrtSessions {

	private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
	private final Device device;
	private final int cpuThreads;
	private final boolean useCuda;
	private final String providerReport;

	/**
	 * @param device where to run
	 * @param cpuThreads intra-op threads for the CPU provider; 0 lets ONNX Runtime choose
	 * @throws ModelException when {@code cuda} was asked for explicitly and cannot be used
	 */
	public OrtSessions(final Device device, final int cpuThreads) {
		if (cpuThreads < 0) {
			throw new IllegalArgumentException("CPU threads must be >= 0 (0 = all cores), got " + cpuThreads);
		}
		this.device = device;
		this.cpuThreads = cpuThreads;
		final String cudaProblem = device.kind() == Device.Kind.CPU ? "CPU requested" : cudaProblem(device.gpuIndex());
		if (device.kind() == Device.Kind.CUDA && cudaProblem != null) {
			throw new ModelException(null, "device " + device + " cannot be used: " + cudaProblem +
				"; install the CUDA build (mvn -Pcuda) with CUDA 12 + cuDNN 9, or choose device cpu or auto");
		}
		this.useCuda = cudaProblem == null;
		this.providerReport = useCuda ? "ONNX Runtime runs on CUDA device " + device.gpuIndex()
			: "ONNX Runtime runs on the CPU (" + cudaProblem + ")";
	}

	/** @return one line saying which execution provider runs and why */
	public String providerReport() {
		return providerReport;
	}

	/** @return whether sessions run on CUDA */
	public boolean usesCuda() {
		return useCuda;
	}

	/** @return the shared ONNX Runtime environment */
	public OrtEnvironment environment() {
		return environment;
	}

	/**
	 * Opens a session for one graph of a bundle.
	 *
	 * @throws ModelException naming the file when ONNX Runtime cannot load it
	 */
	public OrtSession open(final Path bundle, final Path graph) {
		try (SessionOptions options = options()) {
			final OrtSession session = environment.createSession(graph.toString(), options);
			NativeObjects.opened();
			return session;
		}
		catch (final OrtException e) {
			throw new ModelException(bundle, "ONNX Runtime cannot load " + graph.getFileName() + ": " + e.getMessage() +
				"; the file may be corrupt or from an incompatible exporter: re-export the bundle", e);
		}
	}

	/** Closes a session opened by {@link #open}. */
	public static void close(final OrtSession session) {
		try {
			session.close();
			NativeObjects.closed();
		}
		catch (final OrtException e) {
			throw new IllegalStateException("closing an ONNX Runtime session failed: " + e.getMessage(), e);
		}
	}

	// -- Helper methods --

	private SessionOptions options() throws OrtException {
		final SessionOptions options = new SessionOptions();
		options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
		if (cpuThreads > 0) options.setIntraOpNumThreads(cpuThreads);
		if (useCuda) options.addCUDA(device.gpuIndex());
		return options;
	}

	/** @return why CUDA cannot be used, or {@code null} when it can */
	private static String cudaProblem(final int gpuIndex) {
		try (SessionOptions probe = new SessionOptions()) {
			probe.addCUDA(gpuIndex);
			return null;
		}
		catch (final OrtException | UnsatisfiedLinkError | RuntimeException e) {
			final String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			return "CUDA is not available: " + why.lines().findFirst().orElse(why).toLowerCase(Locale.ROOT);
		}
	}
}
