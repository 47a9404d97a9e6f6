package org.lumina.mgpt.runtime.logits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/** Builds the logits pipeline in its one documented order (DESIGN.md §2, spec §3.1). */
public final class LogitsProcessors {

	private LogitsProcessors() {}

	/**
	 * The processors for {@code params}, in this order:
	 * <ol>
	 * <li>{@link ClassifierFreeGuidance} on the raw logits, when {@code cfg != 1};</li>
	 * <li>{@link ForcedTokens} {@code [imageStart, height, width]}, when a size is forced;</li>
	 * <li>{@link ImageStructureConstraint} (always);</li>
	 * <li>{@link StatusAwareTopK} (always);</li>
	 * <li>{@link Temperature}, when sampling with a temperature other than 1;</li>
	 * <li>{@link TopP}, when sampling with {@code topP < 1}.</li>
	 * </ol>
	 * Greedy decoding ({@code temperature == 0}) leaves out temperature and top-p, which cannot
	 * change the argmax. Each call returns new processor instances (they keep scratch buffers),
	 * so use one list per generator.
	 *
	 * @return an unmodifiable list
	 * @throws IllegalArgumentException for an empty candidate list or sizes not multiples of 32
	 */
	public static List<LogitsProcessor> chain(final GenerationParams params, final TokenIds ids,
		final Collection<ImageSize> candidateSizes)
	{
		final List<LogitsProcessor> chain = new ArrayList<>();
		if (params.guidance()) chain.add(new ClassifierFreeGuidance(params.cfg()));
		final ImageSize forced = params.forcedImageSize();
		if (forced != null) {
			chain.add(new ForcedTokens(ids.imageStart(), ids.sizeToken(forced.height()), ids.sizeToken(forced.width())));
		}
		chain.add(new ImageStructureConstraint(ids, candidateSizes));
		chain.add(new StatusAwareTopK(params.imageTopK(), params.textTopK()));
		if (!params.greedy()) {
			if (params.temperature() != 1.0) chain.add(new Temperature(params.temperature()));
			if (params.topP() < 1.0) chain.add(new TopP(params.topP()));
		}
		return List.copyOf(chain);
	}

	/** Applies {@code chain} in order to {@code logits}, in place. */
	public static void apply(final List<LogitsProcessor> chain, final DecodingState state, final float[] logits) {
		for (int i = 0; i < chain.size(); i++) chain.get(i).process(state, logits);
	}
}
