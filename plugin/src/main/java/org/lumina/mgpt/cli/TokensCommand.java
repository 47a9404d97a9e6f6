package org.lumina.mgpt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.task.AnswerGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina tokens}: the decoder input of one user turn, as one JSON array. */
@Command(name = "tokens", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Prints the decoder input of one user turn as one JSON array.", "",
		"[BOS] + encode(prompt + \"<reserved08706>\"), each image's Uni-Rep tokens spliced at its <|image|> " +
			"(all images in front of the prompt when it has none), images resized to the model's candidate sizes." })
final class TokensCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@Option(names = "--model", required = true, paramLabel = "DIR", description = { "Model bundle folder, or a " +
		"folder of bundles: the first trained for image_to_image when --image is given, else for text (as generate)." })
	Path model;

	@Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The user's text.")
	String prompt;

	@Option(names = "--image", paramLabel = "FILE", description = "An input image (repeatable; PNG, JPEG, TIFF, ...).")
	List<Path> images = new ArrayList<>();

	@Mixin
	CommonOptions common;

	@ParentCommand
	private LuminaCli parent;

	@Override
	public Integer call() throws Exception {
		final Path bundle = CommonOptions.bundleFor(model, SamplingOptions.defaultFamily(!images.isEmpty(), false));
		final List<Img<UnsignedByteType>> rasters = InputImage.read(images);
		try (LoadedModels.Lease lease = common.openModel(parent, bundle, spec.commandLine().getErr())) {
			final Model opened = lease.model();
			final AnswerGenerator generator = new AnswerGenerator(opened);
			final List<InputImage> inputs = InputImage.encode(images, rasters, generator);
			final int[] tokens = generator.promptTokens(List.of(prompt), InputImage.encoded(inputs));
			spec.commandLine().getOut().println(JsonOutput.line(tokens));
		}
		return 0;
	}
}
