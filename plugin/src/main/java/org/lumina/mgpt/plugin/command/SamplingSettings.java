package org.lumina.mgpt.plugin.command;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The sampling fields of a command, where {@link #USE_DEFAULT} (-1) stands for the bundle
 * manifest's default of the task's family, read when the command runs.
 *
 * @param cfg classifier-free guidance scale (1 = off)
 * @param imageTopK top-k inside images
 * @param textTopK top-k in text
 * @param temperature sampling temperature (0 = greedy)
 * @param topP nucleus mass (1 = off)
 * @param maxTokens the limit on new tokens
 * @param jacobiWindow draft tokens per decoder call inside images (speculative Jacobi decoding);
 *            0 = off, which is its default, not {@link #USE_DEFAULT}
 */
public record SamplingSettings(double cfg, int imageTopK, int textTopK, double temperature, double topP,
	int maxTokens, int jacobiWindow)
{

	/** The "use the model's default" value of every field. */
	public static final int USE_DEFAULT = -1;

	/** New tokens allowed after an expected image (the same margin as the command line's). */
	public static final int IMAGE_MARGIN = 64;

	/** @return whether every field is left at {@link #USE_DEFAULT} and speculative decoding is off */
	public boolean allDefault() {
		return cfg == USE_DEFAULT && imageTopK == USE_DEFAULT && textTopK == USE_DEFAULT &&
			temperature == USE_DEFAULT && topP == USE_DEFAULT && maxTokens == USE_DEFAULT && jacobiWindow == 0;
	}

	/**
	 * @param size the image the answer will hold, when known (text to image); else the largest
	 *          candidate bounds an image answer
	 * @return {@code null} when every field is left at its default (the runner then applies the
	 *         manifest's), else these fields over the manifest defaults of {@code task}'s family
	 * @throws IllegalArgumentException naming the field, its range and the value received
	 */
	public GenerationParams resolve(final ModelManifest manifest, final Task task, final ImageSize size) {
		if (allDefault()) return null;
		final SamplingDefaults d = manifest.sampling(task.family());
		try {
			return GenerationParams.defaults().withCfg(cfg == USE_DEFAULT ? d.cfg() : cfg).withImageTopK(
				imageTopK == USE_DEFAULT ? d.imageTopK() : imageTopK).withTextTopK(textTopK == USE_DEFAULT ? d.textTopK()
					: textTopK).withTemperature(temperature == USE_DEFAULT ? d.temperature() : temperature).withTopP(
						topP == USE_DEFAULT ? 1.0 : topP).withMaxNewTokens(maxTokens == USE_DEFAULT ? defaultMaxTokens(
							manifest, task, d, size) : maxTokens).withJacobiWindow(jacobiWindow);
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException(e.getMessage().replaceFirst("^imageTopK ", "image_top_k ").replaceFirst(
				"^textTopK ", "text_top_k ").replaceFirst("^topP ", "top_p ").replaceFirst("^maxNewTokens ", "max_tokens ")
				.replaceFirst("^jacobiWindow ", "jacobi_window ") +
				" (-1 = the model's default)", e);
		}
	}

	// -- Helper methods --

	private static int defaultMaxTokens(final ModelManifest manifest, final Task task, final SamplingDefaults d,
		final ImageSize size)
	{
		if (!task.imageAnswer()) return d.maxNewTokens().orElse(512);
		if (size != null) return UniRep.tokenCount(size) + IMAGE_MARGIN;
		int most = 0;
		for (final ImageSize s : CandidateSizes.forTargetSize(manifest.targetSize()).sizes()) {
			most = Math.max(most, UniRep.tokenCount(s));
		}
		return most + IMAGE_MARGIN;
	}
}
