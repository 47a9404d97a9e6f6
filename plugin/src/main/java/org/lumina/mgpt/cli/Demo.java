package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.task.AnswerGenerator;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The demo's plain-Java core: on each sample image a caption and a depth estimation (the answer
 * image forced to the input's token grid), then one small text-to-image; each run in its own
 * folder with its {@code generation.json}, on the model of its task family (one model for all, or
 * one per family). Token budgets are kept small so the tiny model finishes in seconds.
 */
final class Demo {

	/** The sample images, in {@code sample-images/}. */
	static final List<String> SAMPLES = List.of("scene-160x96.png", "shapes-512x384.png", "cells-256.png");
	/**
	 * The text-to-image prompt, in the words of the synthetic training captions so that the bundled
	 * trained model can follow it; any model can.
	 */
	static final String PICTURE = "a large red disc at the left and a small blue square at the top right";
	/**
	 * The text-to-image size asks for the candidate nearest to this one (the landscape size of the
	 * synthetic scenes): exactly it for the bundled 128-px model, a small picture for any other.
	 */
	static final ImageSize PICTURE_SIZE = new ImageSize(160, 96);
	/** New tokens of a caption. */
	static final int CAPTION_TOKENS = 24;
	/** New tokens allowed after a forced image. */
	static final int IMAGE_MARGIN = 4;
	/** The seed of every demo run, so that the demo is reproducible. */
	static final long SEED = 1;

	private final Map<TaskFamily, Model> models;
	private final CommonOptions options;
	private final PrintWriter out;
	private final PrintWriter err;
	private final BooleanSupplier cancelled;

	/** @param models the model of every task family */
	Demo(final Map<TaskFamily, Model> models, final CommonOptions options, final PrintWriter out, final PrintWriter err,
		final BooleanSupplier cancelled)
	{
		this.models = Map.copyOf(models);
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
			final List<Img<UnsignedByteType>> raster = InputImage.read(List.of(file));
			final String stem = name.substring(0, name.lastIndexOf('.'));
			final GenerationJob.Outcome caption = generate("caption-" + stem, root, "Describe the image in detail. <|image|>",
				encoded(file, raster, TaskFamily.TEXT), sampling(TaskFamily.TEXT, null, CAPTION_TOKENS));
			out.println("caption of " + name + ": " + caption.answer().text().strip().replaceAll("\\s+", " ") +
				caption.answer().problem().map(p -> " [" + p + "]").orElse(""));
			final List<InputImage> image = encoded(file, raster, TaskFamily.IMAGE_TO_IMAGE);
			final ImageSize grid = image.get(0).modelSize();
			final GenerationJob.Outcome depth = generate("depth-" + stem, root, "Depth estimation. <|image|>", image,
				sampling(TaskFamily.IMAGE_TO_IMAGE, grid, UniRep.tokenCount(grid) + IMAGE_MARGIN));
			out.println("depth map of " + name + " (" + grid + "): " + depth.files().get(0));
		}
		final ImageSize small = CandidateHints.nearest(PICTURE_SIZE, models.get(TaskFamily.TEXT_TO_IMAGE).candidateSizes())
			.get(0);
		final GenerationJob.Outcome image = generate("text-to-image", root, "Generate an image of " + small +
			" according to the following prompt:\n" + PICTURE, List.of(), sampling(TaskFamily.TEXT_TO_IMAGE, small, UniRep
				.tokenCount(small) + IMAGE_MARGIN));
		out.println("text-to-image (" + small + "): " + image.files().get(0));
	}

	// -- Helper methods --

	/** NB: encoded by the family's own model: each bundle has its own VQ encoder and candidate sizes */
	private List<InputImage> encoded(final Path file, final List<Img<UnsignedByteType>> raster, final TaskFamily family) {
		return InputImage.encode(List.of(file), raster, new AnswerGenerator(models.get(family)));
	}

	private GenerationJob.Outcome generate(final String task, final Path root, final String prompt,
		final List<InputImage> images, final SamplingOptions sampling) throws IOException
	{
		final Model model = models.get(sampling.family);
		final GenerationPlan plan = sampling.plan(model.manifest(), model.candidateSizes(), !images.isEmpty());
		final Provenance provenance = new Provenance(model.manifest(), prompt, images, plan, options);
		if (!options.quiet) err.println("demo: " + task + " (" + plan.family().key() + ")");
		return new GenerationJob(new AnswerGenerator(model)).run(provenance, root.resolve(task), new ProgressPrinter(err,
			true, task), cancelled);
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
