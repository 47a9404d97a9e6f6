package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina demo}: the bundled model on the sample images. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Runs the bundled model on the sample images (a caption, a depth map, a text-to-image).", "",
		"Runs the bundled model (model-runtime/models/synthetic, else tiny-random) on " +
		"sample-images/: a caption and a depth map of each sample, and a small text-to-image. Each run writes its " +
		"files and generation.json into its own folder under lumina-output/demo-<yyyyMMdd-HHmmss>/ (or --out).", "",
		"A model folder may hold one bundle per task family (the manifests' families): each task runs on the first " +
			"bundle trained for its family." })
final class DemoCommand implements Callable<Integer> {

	/** Said first and last when the model has random weights. */
	static final String RANDOM_NOTICE = "the bundled model is a random test model until a trained one ships: its " +
		"images and text are noise";

	@Spec
	private CommandSpec spec;

	@ParentCommand
	private LuminaCli parent;

	@Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: lumina-output/demo-<time>/).")
	Path out;

	@Option(names = "--model", paramLabel = "DIR",
		description = "Another model bundle, or folder of bundles, to run instead of the bundled one.")
	Path model;

	@Mixin
	CommonOptions common;

	@Override
	public Integer call() throws Exception {
		final PrintWriter stdout = spec.commandLine().getOut();
		final LuminaHome home = LuminaHome.current();
		final Path folder = model != null ? CommonOptions.existingFolder(model) : home.bundledModel();
		final Map<Path, Set<TaskFamily>> bundles = bundlesByFamily(folder);
		final boolean random = bundles.keySet().stream().anyMatch(b -> ManifestReader.read(b).randomWeights());
		if (random) stdout.println("note: " + RANDOM_NOTICE);
		final Map<TaskFamily, Model> models = new EnumMap<>(TaskFamily.class);
		final List<LoadedModels.Lease> leases = new ArrayList<>();
		try {
			for (final Map.Entry<Path, Set<TaskFamily>> bundle : bundles.entrySet()) {
				final LoadedModels.Lease lease = common.openModel(parent, bundle.getKey(), spec.commandLine().getErr());
				leases.add(lease);
				for (final TaskFamily family : bundle.getValue()) models.put(family, lease.model());
				stdout.println("demo: model " + lease.model().manifest().name() + " (" + bundle.getKey() + ") for " +
					TaskFamily.keys(bundle.getValue()));
			}
			final Path root = out != null ? out : freshFolder(home.outputs());
			stdout.println("demo: writing to " + root);
			final long start = System.nanoTime();
			new Demo(models, common, stdout, spec.commandLine().getErr(), parent.cancel()).run(home.sampleImages(), root);
			stdout.printf(java.util.Locale.ROOT, "demo: done in %.1f s; results in %s%n", (System.nanoTime() - start) / 1e9,
				root.toAbsolutePath().normalize());
			if (random) stdout.println("note: " + RANDOM_NOTICE);
		}
		finally {
			for (final LoadedModels.Lease lease : leases) lease.close();
		}
		return 0;
	}

	/**
	 * @return the bundle of {@code folder} each task family runs on, as the families of each bundle
	 *         (one bundle for all, or one per family), so that each is loaded once
	 */
	private static Map<Path, Set<TaskFamily>> bundlesByFamily(final Path folder) {
		final Map<Path, Set<TaskFamily>> bundles = new LinkedHashMap<>();
		for (final TaskFamily family : TaskFamily.values()) {
			bundles.computeIfAbsent(ModelFolder.bundleFor(folder, family), b -> EnumSet.noneOf(TaskFamily.class)).add(
				family);
		}
		return bundles;
	}

	private static Path freshFolder(final Path outputs) {
		final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path folder = outputs.resolve("demo-" + stamp);
		for (int i = 2; Files.exists(folder); i++) folder = outputs.resolve("demo-" + stamp + "-" + i);
		return folder;
	}
}
