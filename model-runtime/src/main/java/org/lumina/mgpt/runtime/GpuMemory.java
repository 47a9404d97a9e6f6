package org.lumina.mgpt.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Free memory of an NVIDIA GPU, as {@code nvidia-smi} tells it, for
 * {@link MemoryEstimate#requireFits}. ONNX Runtime's Java API cannot report device memory, and
 * asking CUDA directly would need a native library of our own; the driver's command-line tool is
 * installed wherever the driver is.
 */
final class GpuMemory {

	/** The query: one line per GPU, {@code index, free MiB, total MiB}. */
	static final String[] COMMAND = { "nvidia-smi", "--query-gpu=index,memory.free,memory.total",
		"--format=csv,noheader,nounits" };

	private static final long TIMEOUT_SECONDS = 10;

	private GpuMemory() {}

	/** @return free bytes on GPU {@code index}, or empty when nvidia-smi is missing or says nothing */
	static OptionalLong free(final int index) {
		try {
			final Process process = new ProcessBuilder(COMMAND).redirectErrorStream(true).start();
			final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return OptionalLong.empty();
			}
			return process.exitValue() == 0 ? parseFree(output, index) : OptionalLong.empty();
		}
		catch (final IOException e) {
			return OptionalLong.empty(); // NB: no nvidia-smi on this machine
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			return OptionalLong.empty();
		}
	}

	/**
	 * @param output what {@link #COMMAND} printed, e.g. {@code "0, 143156, 143771"} per line
	 * @return the free bytes of GPU {@code index}, or empty when no line names it
	 */
	static OptionalLong parseFree(final String output, final int index) {
		for (final String line : output.split("\\R")) {
			final String[] fields = line.split(",");
			if (fields.length != 3) continue;
			try {
				if (Integer.parseInt(fields[0].trim()) == index) {
					return OptionalLong.of(Long.parseLong(fields[1].trim()) * 1024 * 1024);
				}
			}
			catch (final NumberFormatException e) {
				// NB: "[N/A]" or a warning line; not this GPU's figure
			}
		}
		return OptionalLong.empty();
	}
}
