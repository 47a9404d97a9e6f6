package org.lumina.mgpt.runtime.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.GenerationResult;
import org.lumina.mgpt.runtime.Generator;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.image.ImageResizer;
import org.lumina.mgpt.runtime.image.PixelNormalizer;
import org.lumina.mgpt.runtime.image.ResizedImage;
import org.lumina.mgpt.runtime.vq.CodeGrid;
import org.lumina.mgpt.runtime.vq.Segment;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The whole pipeline for one turn: input images → resize → VQ codes → Uni-Rep tokens spliced
 * into the chat template → generator → Uni-Rep parse → VQ decode and text decode. Thread-safe
 * (each call opens its own {@link Generator}).
 */
public final class AnswerGenerator {

	private final Model model;

	public AnswerGenerator(final Model model) {
		this.model = model;
	}

	/**
	 * Resizes an RGB image (dims X, Y, C) to the model's closest candidate size and encodes it.
	 * The input is not modified.
	 */
	public EncodedImage encodeImage(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		final ResizedImage resized = ImageResizer.resize(rgb, model.candidateSizes());
		final ImageSize size = resized.mapping().result();
		final CodeGrid codes = model.vqEncoder().encode(PixelNormalizer.toModelInput(resized.image()), size.height(),
			size.width());
		final int[] tokens = UniRep.encode(codes, model.tokenizer().imageTokenMap(), model.manifest().tokens());
		return new EncodedImage(resized, codes, tokens);
	}

	/**
	 * @param turns user, assistant, …, user texts (spec §4.1); images go where their
	 *            {@code <|image|>} placeholders are, or before the first turn when it has none
	 * @return the decoder input: BOS, the turns each ending in the separator, images spliced in
	 */
	public int[] promptTokens(final List<String> turns, final List<EncodedImage> images) {
		final List<int[]> imageTokens = new ArrayList<>();
		for (final EncodedImage image : images) imageTokens.add(image.tokens());
		return model.chatTemplate().encode(turns, imageTokens);
	}

	/**
	 * Generates the answer to {@code prompt} and decodes it. A prompt may end inside an image
	 * (e.g. with a start-of-image token) to have the model finish that image; it is then part of
	 * the answer.
	 *
	 * @param cancelled polled every step; when it returns true generation stops within one step,
	 *            frees its native memory and throws {@link java.util.concurrent.CancellationException}
	 */
	public Answer generate(final int[] prompt, final GenerationParams params, final TokenListener listener,
		final BooleanSupplier cancelled)
	{
		final GenerationResult result;
		try (Generator generator = new Generator(model.decoder(), model.manifest().tokens(),
			model.candidateSizes().sizes(), params.withMaxPositions(model.manifest().decoder().maxPositions())))
		{
			result = generator.generate(prompt, listener, cancelled);
		}
		return decode(openImageTail(prompt), result);
	}

	// -- Helper methods --

	/**
	 * @return the prompt's tokens from its last start-of-image on when that image is still open
	 *         (the prompt asked the model to finish it), else nothing
	 */
	private int[] openImageTail(final int[] prompt) {
		final TokenIds ids = model.manifest().tokens();
		for (int i = prompt.length - 1; i >= 0; i--) {
			if (prompt[i] == ids.imageEnd()) break;
			if (prompt[i] == ids.imageStart()) return Arrays.copyOfRange(prompt, i, prompt.length);
		}
		return new int[0];
	}

	private Answer decode(final int[] openImage, final GenerationResult result) {
		final List<GeneratedImage> images = new ArrayList<>();
		final List<Integer> textTokens = new ArrayList<>();
		final int placeholder = model.tokenizer().id(model.manifest().tokens().imagePlaceholder());
		Optional<String> problem = Optional.empty();
		final int[] answerTokens = new int[openImage.length + result.tokens().length];
		System.arraycopy(openImage, 0, answerTokens, 0, openImage.length);
		System.arraycopy(result.tokens(), 0, answerTokens, openImage.length, result.tokens().length);
		for (final Segment segment : UniRep.parse(answerTokens, model.tokenizer().imageTokenMap(), model.manifest()
			.tokens()))
		{
			if (segment instanceof Segment.Text text) {
				for (final int token : text.tokens()) textTokens.add(token);
			}
			else if (segment instanceof Segment.Image image) {
				final float[] pixels = model.vqDecoder().decode(image.codes());
				images.add(new GeneratedImage(image.size(), image.codes(), PixelNormalizer.fromModelOutput(pixels,
					image.size())));
				textTokens.add(placeholder);
			}
			else if (segment instanceof Segment.IncompleteImage open) {
				problem = Optional.of("generation stopped (" + result.stopReason() + ") inside an image after " +
					open.completeRows() + " complete rows; that image was discarded: raise the maximum number of new " +
					"tokens");
			}
		}
		final String text = model.tokenizer().decode(textTokens.stream().mapToInt(Integer::intValue).toArray());
		return new Answer(text, images, result, problem);
	}
}
