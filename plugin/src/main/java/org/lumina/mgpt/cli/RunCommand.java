package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lumina.mgpt.plugin.batch.BatchInputs;
import org.lumina.mgpt.plugin.batch.BatchListener;
import org.lumina.mgpt.plugin.batch.BatchRunner;
import org.lumina.mgpt.plugin.batch.BatchSummary;
import org.lumina.mgpt.plugin.batch.TaskBatch;
import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina run}: one task on image files or a folder, resumable, into result TIFFs. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Runs a task on an image file or every image of a folder, headless.", "",
		"Each input gives <out>/<basename>-<task>.tif (an ImageJ TIFF with the input's size, planes and calibration, " +
			"the provenance as key=value lines in its Info), plus <basename>-<task>.csv for tables (segmentation's " +
			"class areas, pose's keypoints where the model's manifest declares their convention) and " +
			"<basename>-<task>.txt for text answers. A stack is processed plane by plane.",
		"",
		"An input whose TIFF exists with the same provenance (model, task, prompt, seed, sampling settings, " +
			"preprocessing, input checksum) is skipped; --overwrite redoes it. A file that cannot be read is listed as " +
			"failed and the run goes on. Files are written under temporary names and renamed when complete. The last " +
			"line says done / skipped / failed, followed by one line per failure; the exit code is 2 when any failed.",
		"",
		"Tasks: t2i (no --input; --caption, --size, --count), depth, normals, segmentation, pose, detect (--object), " +
			"condition (--caption), edit (--instruction), describe, ask (--question)." })
final class RunCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@ParentCommand
	private LuminaCli parent;

	@Parameters(index = "0", paramLabel = "TASK", completionCandidates = TaskIds.class,
		description = "The task: ${COMPLETION-CANDIDATES}.")
	String taskId;

	@Option(names = "--model", required = true, paramLabel = "DIR",
		description = "Model bundle folder, or a folder of bundles: the first trained for the task's family runs it.")
	Path model;

	@Option(names = "--input", paramLabel = "FILE|DIR",
		description = "An image file or a folder of images (processed in name order; not searched recursively).")
	Path input;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created when missing).")
	Path out;

	@Option(names = "--overwrite", description = "Redo inputs whose result exists with the same provenance.")
	boolean overwrite;

	@Option(names = "--object", paramLabel = "TEXT", description = "detect: what to find.")
	String object;

	@Option(names = "--caption", paramLabel = "TEXT", description = "t2i, condition: the image's description.")
	String caption;

	@Option(names = "--instruction", paramLabel = "TEXT", description = "edit: what to change.")
	String instruction;

	@Option(names = "--question", paramLabel = "TEXT", description = "ask: the question about the image.")
	String question;

	@Option(names = "--count", paramLabel = "N", defaultValue = "1",
		description = "t2i: how many images, with seeds --seed, --seed + 1, ... (default: ${DEFAULT-VALUE}).")
	int count;

	@Option(names = "--all-planes", negatable = true, defaultValue = "true", fallbackValue = "true",
		description = "Process every plane of a stack (default); --no-all-planes: the first plane only.")
	boolean allPlanes;

	@Option(names = "--rgb-channels", paramLabel = "R,G,B",
		description = "1-based source channels for red, green, blue (0 = black); default: automatic.")
	String rgbChannels;

	@Option(names = "--low-percentile", paramLabel = "P", defaultValue = "" + ConvertOptions.DEFAULT_LOW,
		description = "Percentile mapped to black for 16/32-bit data (default: ${DEFAULT-VALUE}).")
	double lowPercentile;

	@Option(names = "--high-percentile", paramLabel = "P", defaultValue = "" + ConvertOptions.DEFAULT_HIGH,
		description = "Percentile mapped to white for 16/32-bit data (default: ${DEFAULT-VALUE}).")
	double highPercentile;

	@Mixin
	SamplingOptions sampling;

	@Mixin
	CommonOptions common;

	@Override
	public Integer call() throws Exception {
		final PrintWriter err = spec.commandLine().getErr();
		// NB: check everything that can be checked before the (slow, for real models) model load
		final Task task = TaskCatalog.standard().get(taskId);
		if (task.inputs() > 0 && input == null) {
			throw new IllegalArgumentException("task " + task.id() + " needs --input FILE|DIR");
		}
		if (task.inputs() == 0 && input != null) {
			throw new IllegalArgumentException("task " + task.id() + " takes no input; leave out --input");
		}
		if (count < 1) throw new IllegalArgumentException("--count must be >= 1, got " + count);
		if (count > 1 && task.inputs() > 0) {
			throw new IllegalArgumentException("--count is only for t2i; task " + task.id() + " runs once per input");
		}
		final Path bundle = CommonOptions.bundleFor(model, task.family());
		final ModelManifest manifest = ManifestReader.read(bundle);
		final CandidateSizes candidates = CandidateSizes.forTargetSize(manifest.targetSize());
		final ImageSize size = size(task, candidates);
		final GenerationParams params = params(task, manifest, candidates);
		final ConvertOptions convert = ConvertOptions.defaults().withAllPlanes(allPlanes).withRgbChannels(channels())
			.withPercentiles(lowPercentile, highPercentile);
		final BatchProgressPrinter progress = new BatchProgressPrinter(err, common.quiet);
		final List<Path> files = input == null ? List.of() : BatchInputs.list(input, progress::onNote);
		if (input != null && files.isEmpty()) err.println("lumina: warning: no images in " + input);
		final long seed = sampling.seed != null ? sampling.seed : 0;
		final BatchSummary summary;
		try (LoadedModels.Lease lease = common.openModel(parent, bundle, err)) {
			final Model opened = lease.model();
			if (task.inputs() > 0) {
				summary = runner(new TaskBatch(opened, task, fields(), convert, params, null, seed), progress).run(files);
			}
			else {
				BatchSummary all = new BatchSummary(List.of(), List.of(), List.of());
				for (int k = 0; k < count; k++) {
					all = all.plus(runner(new TaskBatch(opened, task, fields(), convert, params, size, seed + k), progress
						.numbered(k, count))
						.runWithoutInput(List.of("image-" + (k + 1))));
				}
				summary = all;
			}
		}
		final PrintWriter stdout = spec.commandLine().getOut();
		for (final String line : summary.lines()) stdout.println(line);
		return summary.succeeded() ? 0 : ErrorReporter.BAD_INPUT;
	}

	// -- Helper methods --

	private BatchRunner runner(final TaskBatch task, final BatchListener progress) {
		return new BatchRunner(task, out, overwrite, progress, parent.cancel());
	}

	/** @return the prompt fields given on the command line */
	private Map<String, String> fields() {
		final Map<String, String> fields = new LinkedHashMap<>();
		if (object != null) fields.put("object", object);
		if (caption != null) fields.put("caption", caption);
		if (instruction != null) fields.put("instruction", instruction);
		if (question != null) fields.put("question", question);
		return fields;
	}

	private ImageSize size(final Task task, final CandidateSizes candidates) {
		if (sampling.size == null) return null;
		if (task.inputs() > 0) {
			throw new IllegalArgumentException("--size is only for t2i; task " + task.id() + " answers in each input's size");
		}
		return CandidateHints.checked(sampling.size, candidates);
	}

	/** @return the settings given, over the manifest's defaults for the task; {@code null} when none is given */
	private GenerationParams params(final Task task, final ModelManifest manifest, final CandidateSizes candidates) {
		if (sampling.cfg == null && sampling.imageTopK == null && sampling.textTopK == null && sampling.topP == null &&
			sampling.temperature == null && sampling.maxTokens == null && sampling.jacobiWindow == null)
		{
			return null;
		}
		if (sampling.family == null) sampling.family = task.family();
		final String forced = sampling.size;
		sampling.size = null; // NB: the runner forces each answer's image size itself
		try {
			return sampling.plan(manifest, candidates, task.inputs() > 0).params();
		}
		finally {
			sampling.size = forced;
		}
	}

	/** @return the {@code --rgb-channels} indices, or {@code null} for automatic */
	private int[] channels() {
		if (rgbChannels == null || rgbChannels.isBlank()) return null;
		final String[] parts = rgbChannels.trim().split("\\s*[, ]\\s*");
		if (parts.length != 3) {
			throw new IllegalArgumentException("--rgb-channels needs three channel indices R,G,B (0 = black), got '" +
				rgbChannels + "'");
		}
		final int[] channels = new int[3];
		for (int i = 0; i < 3; i++) {
			try {
				channels[i] = Integer.parseInt(parts[i]);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("--rgb-channels needs integers like 1,2,3, got '" + rgbChannels + "'", e);
			}
		}
		return channels;
	}

	/** The task ids, for the help text and shell completion. */
	static final class TaskIds implements Iterable<String> {

		@Override
		public Iterator<String> iterator() {
			final List<String> ids = new ArrayList<>();
			for (final Task task : TaskCatalog.standard().all()) ids.add(task.id());
			return ids.iterator();
		}
	}
}
