package org.lumina.mgpt.runtime.logits;

import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * Keeps every generated image well-formed (spec §3.3, the reference's
 * {@code MultiModalLogitsProcessor}), with size constraints added:
 * <ul>
 * <li>right after an image start only the height tokens of the candidate sizes stay;</li>
 * <li>after the height token only the width tokens that form a candidate size with that
 * height;</li>
 * <li>in the body, with {@code n} the 1-based index of the next body token: end-of-line forced
 * when {@code n % (columns + 1) == 0}, end-of-image forced when
 * {@code n == rows * (columns + 1) + 1}, otherwise only image tokens;</li>
 * <li>in text mode only end-of-image and end-of-line are excluded.</li>
 * </ul>
 * NB: two documented deviations from the reference. (1) The reference leaves the size tokens
 * unconstrained (the prompt alone asks for a size); constraining them makes every image decodable
 * whatever the weights. (2) The reference leaves text mode unconstrained; a stray end-of-image or
 * end-of-line there would make the image status inconsistent (the reference then stops
 * constraining anything), so both are excluded. Everything else stays possible in text,
 * including image and size tokens, as in the reference.
 * <p>
 * If the height came from the prompt and is not a candidate height, every candidate width stays.
 * Forced tokens get logit 0, as in the reference; allowed size tokens keep their values.
 */
public final class ImageStructureConstraint implements LogitsProcessor {

	private final TokenIds ids;
	private final int[] heightTokens;
	private final int[][] widthTokensByHeightUnits;
	private final int[] allWidthTokens;
	private final float[] scratch;

	/**
	 * @param candidateSizes the image sizes the model may write (spec §2.2), sides multiples of 32
	 * @throws IllegalArgumentException for an empty list or a side that is not a multiple of 32
	 */
	public ImageStructureConstraint(final TokenIds ids, final Collection<ImageSize> candidateSizes) {
		if (candidateSizes.isEmpty()) throw new IllegalArgumentException("candidateSizes must not be empty");
		final TreeMap<Integer, TreeSet<Integer>> widthsByHeight = new TreeMap<>();
		final TreeSet<Integer> allWidths = new TreeSet<>();
		for (final ImageSize size : candidateSizes) {
			if (size.width() % 32 != 0 || size.height() % 32 != 0) {
				throw new IllegalArgumentException("candidateSizes must have sides that are multiples of 32, got " + size);
			}
			widthsByHeight.computeIfAbsent(size.height(), h -> new TreeSet<>()).add(ids.sizeToken(size.width()));
			allWidths.add(ids.sizeToken(size.width()));
		}
		this.ids = ids;
		this.heightTokens = widthsByHeight.keySet().stream().mapToInt(ids::sizeToken).toArray();
		this.widthTokensByHeightUnits = new int[widthsByHeight.lastKey() / 32 + 1][];
		widthsByHeight.forEach((h, widths) -> widthTokensByHeightUnits[h / 32] = widths.stream().mapToInt(i -> i)
			.toArray());
		this.allWidthTokens = allWidths.stream().mapToInt(i -> i).toArray();
		this.scratch = new float[Math.max(heightTokens.length, allWidthTokens.length)];
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		if (!state.insideImage()) {
			logits[ids.imageEnd()] = Float.NEGATIVE_INFINITY;
			logits[ids.endOfLine()] = Float.NEGATIVE_INFINITY;
			return;
		}
		final int since = state.imageTokensSinceStart();
		if (since == 0) {
			Masks.keepOnly(logits, heightTokens, scratch);
		}
		else if (since == 1) {
			Masks.keepOnly(logits, widthTokens(state.token(state.imageStart() + 1) - ids.sizeBase()), scratch);
		}
		else {
			final int n = since - 1; // 1-based index of the next body token
			final int rowLength = state.gridColumns() + 1;
			if (n % rowLength == 0) Masks.force(logits, ids.endOfLine());
			else if (n == state.gridRows() * rowLength + 1) Masks.force(logits, ids.imageEnd());
			else Masks.keepRange(logits, ids.imageTokens().first(), ids.imageTokens().last());
		}
	}

	private int[] widthTokens(final int heightUnits) {
		final int[] widths = heightUnits < widthTokensByHeightUnits.length ? widthTokensByHeightUnits[heightUnits] : null;
		return widths == null ? allWidthTokens : widths;
	}
}
