package org.lumina.mgpt.cli.score;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.image.PixelNormalizer;
import org.lumina.mgpt.runtime.task.Answer;
import org.lumina.mgpt.runtime.task.AnswerGenerator;
import org.lumina.mgpt.runtime.task.EncodedImage;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The model's answers the scorer needs, through the engine's task layer: sampling settings from
 * the manifest's defaults of the task's family, as the product's commands use them. Image tasks
 * force an answer image of the input's model size (as the commands do); text to image does NOT
 * force its size, so that the score sees whether the model draws the size the prompt asks for.
 * Thread-safe as the model is.
 */
final class AnswerSource {

	/** Answer-image token budget beyond the image's own tokens. */
	static final int IMAGE_MARGIN = 64;
	/** Token budget of a caption (the longest held-out caption is far shorter). */
	static final int CAPTION_TOKENS = 128;

	private final Model model;
	private final AnswerGenerator generator;
	private final BooleanSupplier cancelled;

	AnswerSource(final Model model, final BooleanSupplier cancelled) {
		this.model = model;
		this.generator = new AnswerGenerator(model);
		this.cancelled = cancelled;
	}

	/** @return the picture resized to the model's closest candidate size and encoded */
	EncodedImage encode(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return generator.encodeImage(rgb);
	}

	/** @return the model's size for text to image of a scene: its own size when a candidate, else the closest */
	ImageSize textToImageSize(final ImageSize scene) {
		return model.candidateSizes().contains(scene) ? scene : model.candidateSizes().closest(scene.width(), scene
			.height());
	}

	/**
	 * @return the answer image of an image task on {@code input}, of the input's model size;
	 *         empty when the answer holds no complete image
	 */
	Optional<GeneratedImage> imageAnswer(final Task task, final Map<String, String> fields, final EncodedImage input,
		final long seed)
	{
		final ImageSize size = input.resized().mapping().result();
		final GenerationParams params = params(task, seed, UniRep.tokenCount(size) + IMAGE_MARGIN).withForcedImageSize(size);
		return firstImage(generator.generate(generator.promptTokens(List.of(task.prompt(fields)), List.of(input)), params,
			TokenListener.NONE, cancelled));
	}

	/** @return the picture the model draws for {@code prompt} (its size unforced), or empty when it draws none */
	Optional<GeneratedImage> textToImage(final Task task, final String prompt, final ImageSize requested,
		final double cfg, final long seed)
	{
		final GenerationParams params = params(task, seed, UniRep.tokenCount(requested) + IMAGE_MARGIN).withCfg(cfg);
		return firstImage(generator.generate(generator.promptTokens(List.of(prompt), List.of()), params, TokenListener.NONE,
			cancelled));
	}

	/** @return the text answer of a text task on {@code input} */
	String text(final Task task, final Map<String, String> fields, final EncodedImage input, final long seed) {
		final GenerationParams params = params(task, seed, CAPTION_TOKENS);
		return generator.generate(generator.promptTokens(List.of(task.prompt(fields)), List.of(input)), params,
			TokenListener.NONE, cancelled).text();
	}

	/** @return the VQ decoder's picture of {@code encoded}'s codes: what the tokens keep of it, at the model size */
	Img<UnsignedByteType> roundTrip(final EncodedImage encoded) {
		return PixelNormalizer.fromModelOutput(model.vqDecoder().decode(encoded.codes()), encoded.resized().mapping()
			.result());
	}

	/** @return the default CFG of a task's family */
	double defaultCfg(final Task task) {
		return model.manifest().sampling(task.family()).cfg();
	}

	private GenerationParams params(final Task task, final long seed, final int maxNewTokens) {
		final SamplingDefaults d = model.manifest().sampling(task.family());
		return GenerationParams.defaults().withCfg(d.cfg()).withImageTopK(d.imageTopK()).withTextTopK(d.textTopK())
			.withTemperature(d.temperature()).withMaxNewTokens(maxNewTokens).withSeed(seed);
	}

	private static Optional<GeneratedImage> firstImage(final Answer answer) {
		return answer.images().isEmpty() ? Optional.empty() : Optional.of(answer.images().get(0));
	}
}
