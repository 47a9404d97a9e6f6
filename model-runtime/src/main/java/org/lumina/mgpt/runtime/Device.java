package org.lumina.mgpt.runtime;

import java.util.Locale;

/**
 * Where the ONNX graphs run: {@code auto} (CUDA when it can be used, else CPU), {@code cpu}, or
 * {@code cuda} / {@code cuda:N} for GPU {@code N}.
 *
 * @param kind what was asked for
 * @param gpuIndex the CUDA device index (0 unless {@code cuda:N} was given)
 */
public record Device(Kind kind, int gpuIndex) {

	/** The kinds of device a user can ask for. */
	public enum Kind {
		AUTO, CPU, CUDA
	}

	public static final Device AUTO = new Device(Kind.AUTO, 0);
	public static final Device CPU = new Device(Kind.CPU, 0);

	public Device {
		if (gpuIndex < 0) {
			throw new IllegalArgumentException("GPU index must be >= 0, got " + gpuIndex);
		}
	}

	/**
	 * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
	 *
	 * @throws IllegalArgumentException naming the accepted forms
	 */
	public static Device parse(final String text) {
		final String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.equals("auto")) return AUTO;
		if (t.equals("cpu")) return CPU;
		if (t.equals("cuda")) return new Device(Kind.CUDA, 0);
		if (t.startsWith("cuda:")) {
			try {
				return new Device(Kind.CUDA, Integer.parseInt(t.substring(5)));
			}
			catch (final NumberFormatException e) {
				// fall through to the message below
			}
		}
		throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N, got '" + text + "'");
	}

	@Override
	public String toString() {
		return kind == Kind.CUDA ? "cuda:" + gpuIndex : kind.name().toLowerCase(Locale.ROOT);
	}
}
