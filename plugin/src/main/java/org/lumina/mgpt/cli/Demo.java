package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.task.AnswerGenerator;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The demo's plain-Java core: on each sample image a caption and a depth estimation (the answer
 * image forced to the input's token grid), then one small text-to-image; each run in its own
 * folder with its {@code generation.json}. Token budgets are kept small so the tiny model
 * finishes in seconds.
 */
final class Demo {

	/** The sample images, in {@code sample-images/}. */
	static final List<String> SAMPLES = List.of("shapes-512x384.png", "cells-256.png");
	/** New tokens of a caption. */
	static final int CAPTION_TOKENS = 24;
	/** New tokens allowed after a forced image. */
	static final int IMAGE_MARGIN = 4;
	/** The seed of every demo run, so that the demo is reproducible. */
	static final long SEED = 1;

	private final Model model;
	private final AnswerGenerator generator;
	private final CommonOptions options;
	private final PrintWriter out;
	private final PrintWriter err;
	private final BooleanSupplier cancelled;

	Demo(final Model model, final CommonOptions options, final PrintWriter out, final PrintWriter err,
		final BooleanSupplier cancelled)
	{
		this.model = model;
		this.generator = new AnswerGenerator(model);
		this.options = options;
		this.out = out;
		this.err = err;
		this.cancelled = cancelled;
	}

	/** Runs every demo task on the images in {@code samples}, writing under {@code root}. */
	void run(final Path samples, final Path root) throws IOException {
		for (final String name : SAMPLES) {
			final Path file = samples.resolve(name);
			if (!Files.isRegularFile(file)) {
				throw new IllegalArgumentException("sample image " + file + " is missing; restore sample-images/ from git");
			}
			final List<InputImage> image = InputImage.readAll(List.of(file), generator);
			final String stem = name.substring(0, name.lastIndexOf('.'));
			final GenerationJob.Outcome caption = generate("caption-" + stem, root, "Describe the image in detail. <|image|>",
				image, sampling(TaskFamily.TEXT, null, CAPTION_TOKENS));
			out.println("caption of " + name + ": " + caption.answer().text().strip().replaceAll("\\s+", " ") +
				caption.answer().problem().map(p -> " [" + p + "]").orElse(""));
			final ImageSize grid = image.get(0).modelSize();
			final GenerationJob.Outcome depth = generate("depth-" + stem, root, "Depth estimation. <|image|>", image,
				sampling(TaskFamily.IMAGE_TO_IMAGE, grid, UniRep.tokenCount(grid) + IMAGE_MARGIN));
			out.println("depth map of " + name + " (" + grid + "): " + depth.files().get(0));
		}
		final ImageSize small = CandidateHints.fewestTokens(model.candidateSizes());
		final GenerationJob.Outcome image = generate("text-to-image", root, "Generate an image of " + small +
			" according to the following prompt:\nA red circle and a blue square on a white background.", List.of(),
			sampling(TaskFamily.TEXT_TO_IMAGE, small, UniRep.tokenCount(small) + IMAGE_MARGIN));
		out.println("text-to-image (" + small + "): " + image.files().get(0));
	}

	// -- Helper methods --

	private GenerationJob.Outcome generate(final String task, final Path root, final String prompt,
		final List<InputImage> images, final SamplingOptions sampling) throws IOException
	{
		final GenerationPlan plan = sampling.plan(model.manifest(), model.candidateSizes(), !images.isEmpty());
		final Provenance provenance = new Provenance(model.manifest(), prompt, images, plan, options);
		if (!options.quiet) err.println("demo: " + task + " (" + plan.family().key() + ")");
		return new GenerationJob(generator).run(provenance, root.resolve(task), new ProgressPrinter(err, true, task),
			cancelled);
	}

	private static SamplingOptions sampling(final TaskFamily family, final ImageSize size, final int maxTokens) {
		final SamplingOptions sampling = new SamplingOptions();
		sampling.family = family;
		sampling.size = size == null ? null : size.toString();
		sampling.maxTokens = maxTokens;
		sampling.seed = SEED;
		return sampling;
	}
}
