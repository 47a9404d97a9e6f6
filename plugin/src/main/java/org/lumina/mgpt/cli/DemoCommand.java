package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;

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
		"files and generation.json into its own folder under lumina-output/demo-<yyyyMMdd-HHmmss>/ (or --out)." })
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

	@Option(names = "--model", paramLabel = "DIR", description = "Another model bundle to run instead of the bundled one.")
	Path model;

	@Mixin
	CommonOptions common;

	@Override
	public Integer call() throws Exception {
		final PrintWriter stdout = spec.commandLine().getOut();
		final LuminaHome home = LuminaHome.current();
		final Path bundle = model != null ? model : home.bundledModel();
		final boolean random = ManifestReader.read(bundle).randomWeights();
		if (random) stdout.println("note: " + RANDOM_NOTICE);
		try (LoadedModels.Lease lease = common.openModel(parent, bundle, spec.commandLine().getErr())) {
			final Model opened = lease.model();
			final Path root = out != null ? out : freshFolder(home.outputs());
			stdout.println("demo: model " + opened.manifest().name() + " (" + bundle + "), writing to " + root);
			final long start = System.nanoTime();
			new Demo(opened, common, stdout, spec.commandLine().getErr(), parent.cancel()).run(home.sampleImages(), root);
			stdout.printf(java.util.Locale.ROOT, "demo: done in %.1f s; results in %s%n", (System.nanoTime() - start) / 1e9,
				root.toAbsolutePath().normalize());
			if (random) stdout.println("note: " + RANDOM_NOTICE);
		}
		return 0;
	}

	private static Path freshFolder(final Path outputs) {
		final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path folder = outputs.resolve("demo-" + stamp);
		for (int i = 2; Files.exists(folder); i++) folder = outputs.resolve("demo-" + stamp + "-" + i);
		return folder;
	}
}
