package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.onnx.NativeObjects;

/**
 * Many generations in one JVM, each as a command would run it: lease the model from the shared
 * {@link LoadedModels} (already loaded: no reload), open and close its own decoder sessions,
 * return the lease. Resident memory and the engine's live native objects are read after 10 % and
 * after 100 % of the runs; equal counts (and a flat resident size) show that nothing leaks.
 */
final class SoakRun {

	private SoakRun() {}

	/** @return the soak fields of the benchmark report */
	static Map<String, Object> run(final LoadedModels models, final Path bundle, final ModelOptions options,
		final int runs, final int steps, final PrintWriter err, final boolean quiet)
	{
		if (runs < 1) throw new IllegalArgumentException("--soak must be >= 1 run, got " + runs);
		final int early = Math.max(1, (int) Math.ceil(runs * 0.1));
		final long loadsBefore = models.loadCount();
		final Map<String, Object> json = new LinkedHashMap<>();
		json.put("soak_runs", runs);
		json.put("soak_early_run", early);
		for (int i = 1; i <= runs; i++) {
			try (LoadedModels.Lease lease = models.acquire(bundle, options, LoadProgress.NONE)) {
				new DecodeBenchmark(lease.model()).measure(steps);
			}
			if (i == early) snapshot(json, "10pct");
			if (i == runs) snapshot(json, "100pct");
			if (!quiet && i % early == 0) err.println("bench: soak run " + i + " of " + runs);
		}
		json.put("soak_model_loads", models.loadCount() - loadsBefore);
		json.put("native_objects_leaked", (long) json.get("native_objects_after_100pct") -
			(long) json.get("native_objects_after_10pct"));
		return json;
	}

	private static void snapshot(final Map<String, Object> json, final String when) {
		json.put("rss_mb_after_" + when, residentMegabytes("VmRSS"));
		// NB: weight files mapped by ONNX Runtime count as RssFile; copies and caches as RssAnon
		json.put("rss_anon_mb_after_" + when, residentMegabytes("RssAnon"));
		json.put("rss_file_mb_after_" + when, residentMegabytes("RssFile"));
		// NB: the JVM grows its heap lazily up to -Xmx; its committed size tells that growth from native growth
		json.put("heap_committed_mb_after_" + when, Runtime.getRuntime().totalMemory() / (1024.0 * 1024));
		json.put("native_objects_after_" + when, NativeObjects.live());
	}

	/**
	 * @param field a resident-memory line of /proc/self/status: VmRSS (all), RssAnon, RssFile
	 * @return its value in MiB, or -1 where /proc is not there
	 */
	static double residentMegabytes(final String field) {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
			}
		}
		catch (final IOException | NumberFormatException e) {
			// NB: not Linux; report -1
		}
		return -1;
	}
}
