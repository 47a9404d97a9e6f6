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
	private final boolean strict;
	private final String providerReport;

	/** Sessions without strict device placement: see {@link #OrtSessions(Device, int, boolean)}. */
	public OrtSessions(final Device device, final int cpuThreads) {
		this(device, cpuThreads, false);
	}

	/**
	 * @param device where to run
	 * @param cpuThreads intra-op threads for the CPU provider; 0 lets ONNX Runtime choose
	 * @param strict on CUDA, refuse graphs with nodes ONNX Runtime would run on the CPU
	 * @throws ModelException when {@code cuda} was asked for explicitly and cannot be used
	 */
	public OrtSessions(final Device device, final int cpuThreads, final boolean strict) {
		if (cpuThreads < 0) {
			throw new IllegalArgumentException("CPU threads must be >= 0 (0 = all cores), got " + cpuThreads);
		}
		this.device = device;
		this.cpuThreads = cpuThreads;
		this.strict = strict;
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
		return open(bundle, graph, null);
	}

	/**
	 * Opens a session that profiles its runs into a file starting with {@code profilePrefix}
	 * (until {@link OrtSession#endProfiling()}), or does not profile when it is {@code null}.
	 *
	 * @throws ModelException naming the file when ONNX Runtime cannot load it
	 */
	public OrtSession open(final Path bundle, final Path graph, final Path profilePrefix) {
		try (SessionOptions options = options()) {
			if (profilePrefix != null) options.enableProfiling(profilePrefix.toString());
			final OrtSession session = environment.createSession(graph.toString(), options);
			NativeObjects.opened();
			return session;
		}
		catch (final OrtException e) {
			final String why = strict && useCuda ? "some of its nodes cannot run on CUDA and strict device placement " +
				"is on: turn it off to let ONNX Runtime run them on the CPU" : "the file may be corrupt or from an " +
					"incompatible exporter: re-export the bundle";
			throw new ModelException(bundle, "ONNX Runtime cannot load " + graph.getFileName() + ": " + e.getMessage() +
				"; " + why, e);
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
		// NB: without it ONNX Runtime silently runs nodes CUDA cannot run on the CPU
		if (useCuda && strict) options.addConfigEntry("session.disable_cpu_ep_fallback", "1");
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
