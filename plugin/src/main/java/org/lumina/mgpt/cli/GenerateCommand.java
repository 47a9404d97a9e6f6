package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.task.AnswerGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina generate}: one answer to a prompt (and images), written to files. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Generates an answer (text and images) to a prompt and writes it to files.", "",
		"Generates the model's answer to one user turn and writes image-<k>.png for every complete " +
		"generated image, answer.txt and generation.json (provenance: model, prompt, images, seed, every " +
		"setting, engine version) into --out; prints one JSON line " +
		"{\"files\", \"num_tokens\", \"seconds\", \"tokens_per_s\", \"seed\", \"model\", \"stop_reason\"}.",
		"",
		"Defaults come from the model's manifest (sampling section) for the task family: --family, else " +
			"image_to_image when --image is given, else text_to_image when --size is given, else text. A --model " +
			"folder of bundles (one per task family) runs the first bundle trained for that family.",
		"",
		"Files are written under temporary names and renamed when the run succeeds, so a failed or cancelled " +
			"(Ctrl-C) run leaves nothing that looks complete. When generation stops inside an image, that image is " +
			"dropped, generation.json says \"complete\": false and the exit code is 3." })
final class GenerateCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@ParentCommand
	private LuminaCli parent;

	@Option(names = "--model", required = true, paramLabel = "DIR",
		description = "Model bundle folder, or a folder of bundles (see below).")
	Path model;

	@Option(names = "--prompt", required = true, paramLabel = "TEXT",
		description = "The user's text; <|image|> marks where each image goes (else all go first).")
	String prompt;

	@Option(names = "--image", paramLabel = "FILE", description = "An input image (repeatable; PNG, JPEG, TIFF, ...).")
	List<Path> images = new ArrayList<>();

	@Mixin
	SamplingOptions sampling;

	@Option(names = "--out", required = true, paramLabel = "DIR",
		description = "Output folder (created when missing; files of the same names are replaced).")
	Path out;

	@Mixin
	CommonOptions common;

	@Override
	public Integer call() throws Exception {
		final PrintWriter err = spec.commandLine().getErr();
		// NB: check everything that can be checked before the (slow, for real models) model load
		final Path bundle = CommonOptions.bundleFor(model, sampling.family(!images.isEmpty()));
		final ModelManifest manifest = ManifestReader.read(bundle);
		final List<Img<UnsignedByteType>> rasters = InputImage.read(images);
		final GenerationPlan plan = sampling.plan(manifest, CandidateSizes.forTargetSize(manifest.targetSize()),
			!images.isEmpty());
		try (LoadedModels.Lease lease = common.openModel(parent, bundle, err)) {
			final Model opened = lease.model();
			final AnswerGenerator generator = new AnswerGenerator(opened);
			final List<InputImage> inputs = InputImage.encode(images, rasters, generator);
			final Provenance provenance = new Provenance(opened.manifest(), prompt, inputs, plan, common);
			if (!common.quiet) {
				err.println("lumina: " + plan.family().key() + ", seed " + plan.params().seed() + ", at most " +
					plan.params().maxNewTokens() + " new tokens");
			}
			final GenerationJob.Outcome outcome = new GenerationJob(generator).run(provenance, out,
				new ProgressPrinter(err, common.quiet, "generate"), parent.cancel());
			outcome.requireComplete(provenance);
			spec.commandLine().getOut().println(JsonOutput.line(outcome.summary(provenance)));
		}
		return 0;
	}
}
