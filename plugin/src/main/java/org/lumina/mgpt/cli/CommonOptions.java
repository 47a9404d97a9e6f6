package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand takes: {@code --device}, {@code --threads}, {@code --debug}, {@code --quiet}. */
final class CommonOptions {

	@Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = "auto",
		converter = DeviceConverter.class,
		description = "Where the model runs (default: ${DEFAULT-VALUE}; auto uses CUDA when it can, else the CPU).")
	Device device = Device.AUTO;

	@Option(names = "--threads", paramLabel = "N", defaultValue = "0",
		description = "CPU threads of ONNX Runtime (default: ${DEFAULT-VALUE} = all cores).")
	int threads;

	@Option(names = "--strict-device", description = "On CUDA, refuse a model with nodes ONNX Runtime would run on " +
		"the CPU (by default they are run there and reported).")
	boolean strictDevice;

	@Option(names = "--debug", description = "Print the stack trace of errors.")
	boolean debug;

	@Option(names = "--quiet", description = "No progress lines on stderr (errors and warnings still show).")
	boolean quiet;

	/** @return the options to open a model with (checksums verified, cached per file) */
	ModelOptions modelOptions() {
		if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0 (0 = all cores), got " + threads);
		return new ModelOptions(device, threads, true, strictDevice);
	}

	/** @return the CPU threads actually used: {@code --threads}, or the number of cores for 0 */
	int effectiveThreads() {
		return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * Leases a bundle from the invocation's {@link LoadedModels}, loading it with each phase on
	 * {@code err} and saying which provider runs (unless quiet); Ctrl-C stops the load between
	 * phases.
	 *
	 * @throws IllegalArgumentException when {@code dir} is not a folder
	 */
	LoadedModels.Lease openModel(final LuminaCli cli, final Path dir, final PrintWriter err) {
		final LoadedModels.Lease lease = cli.models().acquire(existingFolder(dir), modelOptions(), new LoadProgress() {

			@Override
			public void phase(final String phase, final int index, final int count) {
				if (!quiet) err.println("model: " + (count > 0 ? "(" + index + "/" + count + ") " : "") + phase);
			}

			@Override
			public boolean isCancelled() {
				return cli.cancel().getAsBoolean();
			}
		});
		if (!quiet && lease.loadedNow()) err.println("lumina: " + lease.model().providerReport());
		return lease;
	}

	/**
	 * @return {@code dir}
	 * @throws IllegalArgumentException when {@code dir} is not a folder
	 */
	static Path existingFolder(final Path dir) {
		if (!dir.toFile().isDirectory()) {
			throw new IllegalArgumentException("model folder " + dir + " does not exist; pass --model with a bundle " +
				"folder (one holding lumina-model.json) or a folder of bundles");
		}
		return dir;
	}

	/**
	 * @return the bundle of the {@code --model} folder {@code dir} that tasks of {@code family}
	 *         run on: {@code dir} itself, or the bundle beneath it trained for the family
	 * @throws IllegalArgumentException when {@code dir} is not a folder or has no such bundle
	 */
	static Path bundleFor(final Path dir, final TaskFamily family) {
		return ModelFolder.bundleFor(existingFolder(dir), family);
	}

	/** Parses {@code --device} with {@link Device#parse}. */
	static final class DeviceConverter implements ITypeConverter<Device> {

		@Override
		public Device convert(final String value) {
			try {
				return Device.parse(value);
			}
			catch (final IllegalArgumentException e) {
				throw new TypeConversionException(e.getMessage());
			}
		}
	}
}
