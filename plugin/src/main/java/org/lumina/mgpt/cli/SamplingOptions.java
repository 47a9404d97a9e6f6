package org.lumina.mgpt.cli;

import java.util.concurrent.ThreadLocalRandom;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.vq.UniRep;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The sampling options of {@code generate}; those left out come from the bundle manifest's
 * defaults of the task family: {@code --family}, else {@code image_to_image} when images are
 * given, else {@code text_to_image} when {@code --size} is given, else {@code text}.
 */
final class SamplingOptions {

	/** New tokens allowed after an expected image, for the text that may follow it. */
	static final int IMAGE_MARGIN = 64;

	@Option(names = "--family", paramLabel = "FAMILY", converter = FamilyConverter.class,
		description = { "Task family whose manifest defaults apply: text_to_image, image_to_image or text. Default: " +
			"image_to_image when --image is given, else text_to_image when --size is given, else text." })
	TaskFamily family;

	@Option(names = "--size", paramLabel = "WxH",
		description = "Force the answer to start with an image of this size (one of the model's candidate sizes).")
	String size;

	@Option(names = "--seed", paramLabel = "N", description = "Sampler seed (generate: a random one by default; run: 0, so that runs repeat; recorded in the output).")
	Long seed;

	@Option(names = "--cfg", paramLabel = "X", description = "Classifier-free guidance scale for images (1 = off).")
	Double cfg;

	@Option(names = "--image-top-k", paramLabel = "K", description = "Top-k inside images.")
	Integer imageTopK;

	@Option(names = "--text-top-k", paramLabel = "K", description = "Top-k in text.")
	Integer textTopK;

	@Option(names = "--top-p", paramLabel = "P", description = "Nucleus mass in (0, 1] (default 1 = off).")
	Double topP;

	@Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (0 = greedy).")
	Double temperature;

	@Option(names = "--max-tokens", paramLabel = "N", description = { "Maximum number of NEW tokens. Default: the " +
		"tokens of the expected image + " + IMAGE_MARGIN + " (the --size image, else the largest candidate when images " +
		"are given), or the manifest's text max_new_tokens (512) for text answers." })
	Integer maxTokens;

	@Option(names = "--jacobi-window", paramLabel = "N", description = { "Speculative Jacobi decoding inside images: N " +
		"draft tokens checked per decoder step; the same distribution in fewer steps (0 = off, the default; " +
		GenerationParams.DEFAULT_JACOBI_WINDOW + " = the setting of its paper)." })
	Integer jacobiWindow;

	/** @return the family whose defaults apply */
	TaskFamily family(final boolean hasImages) {
		return family != null ? family : defaultFamily(hasImages, size != null);
	}

	/** @return the family of a prompt without {@code --family}: the answer an image or a forced size calls for */
	static TaskFamily defaultFamily(final boolean hasImages, final boolean sized) {
		return hasImages ? TaskFamily.IMAGE_TO_IMAGE : sized ? TaskFamily.TEXT_TO_IMAGE : TaskFamily.TEXT;
	}

	/**
	 * @return the validated settings: these options over the manifest defaults of the family
	 * @throws IllegalArgumentException for a size that is not a candidate, a {@code --max-tokens}
	 *           too small for the forced image, or a value out of range (naming the option)
	 */
	GenerationPlan plan(final ModelManifest manifest, final CandidateSizes candidates, final boolean hasImages) {
		final TaskFamily chosen = family(hasImages);
		final SamplingDefaults defaults = manifest.sampling(chosen);
		final ImageSize forced = size == null ? null : CandidateHints.checked(size, candidates);
		final int newTokens = maxTokens != null ? maxTokens : defaultMaxTokens(chosen, defaults, forced, candidates);
		if (forced != null && newTokens < UniRep.tokenCount(forced)) {
			throw new IllegalArgumentException("--size " + forced + " needs " + UniRep.tokenCount(forced) +
				" new tokens for its image but --max-tokens is " + newTokens + "; pass --max-tokens " +
				UniRep.tokenCount(forced) + " or more (or leave it out)");
		}
		try {
			return new GenerationPlan(chosen, GenerationParams.defaults().withForcedImageSize(forced)
				.withCfg(cfg != null ? cfg : defaults.cfg())
				.withImageTopK(imageTopK != null ? imageTopK : defaults.imageTopK())
				.withTextTopK(textTopK != null ? textTopK : defaults.textTopK())
				.withTemperature(temperature != null ? temperature : defaults.temperature())
				.withTopP(topP != null ? topP : 1.0).withMaxNewTokens(newTokens)
				.withSeed(seed != null ? seed : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE))
				.withJacobiWindow(jacobiWindow != null ? jacobiWindow : 0));
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException(optionNames(e.getMessage()) + "; see --help", e);
		}
	}

	private static int defaultMaxTokens(final TaskFamily family, final SamplingDefaults defaults,
		final ImageSize forced, final CandidateSizes candidates)
	{
		if (forced != null) return UniRep.tokenCount(forced) + IMAGE_MARGIN;
		if (family == TaskFamily.IMAGE_TO_IMAGE) return UniRep.tokenCount(CandidateHints.mostTokens(candidates)) + IMAGE_MARGIN;
		return defaults.maxNewTokens().orElse(512);
	}

	/** @return an engine message with its parameter names spelled as this CLI's options */
	private static String optionNames(final String message) {
		return message.replaceFirst("^cfg ", "--cfg ").replaceFirst("^imageTopK ", "--image-top-k ")
			.replaceFirst("^textTopK ", "--text-top-k ").replaceFirst("^temperature ", "--temperature ")
			.replaceFirst("^topP ", "--top-p ").replaceFirst("^maxNewTokens ", "--max-tokens ")
			.replaceFirst("^jacobiWindow ", "--jacobi-window ");
	}

	/** Parses {@code --family} by its manifest key ({@code text_to_image}, ...). */
	static final class FamilyConverter implements ITypeConverter<TaskFamily> {

		@Override
		public TaskFamily convert(final String value) {
			for (final TaskFamily f : TaskFamily.values()) {
				if (f.key().equalsIgnoreCase(value.trim())) return f;
			}
			throw new TypeConversionException("'" + value + "' is not a task family: use text_to_image, image_to_image or text");
		}
	}
}
