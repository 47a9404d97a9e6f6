package org.lumina.mgpt.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.lumina.mgpt.runtime.bundle.TokenIds;

/** Token layouts, candidate sizes and an independent image-layout checker for generation tests. */
public final class GenerationFixtures {

	private GenerationFixtures() {}

	/** Vocabulary size of {@link #TINY}. */
	public static final int TINY_VOCAB = 48;

	/**
	 * A 48-token layout: bos 0, pad 1, image tokens 4..19, end 20, start 21, end-of-line 22,
	 * size tokens 24.. (sizeBase 23), separator 30, text 31..47.
	 */
	public static final TokenIds TINY = new TokenIds(0, 1, 30, 21, 20, 22, 23, "<|image|>", new TokenRange(4, 19), 16);

	/** Sizes for {@link #TINY}: grids up to 6 latent rows or columns. */
	public static final List<ImageSize> TINY_SIZES = List.of(new ImageSize(64, 32), new ImageSize(32, 64),
		new ImageSize(64, 64), new ImageSize(96, 32), new ImageSize(32, 96), new ImageSize(32, 32));

	/** The real Lumina-mGPT ids (spec §1.1). */
	public static final TokenIds REAL = new TokenIds(0, 1, 8710, 8197, 8196, 8803, 8804, "<|image|>",
		new TokenRange(4, 8195), 8192);

	/** Vocabulary size of {@link #REAL}. */
	public static final int REAL_VOCAB = 65536;

	/** The reference's {@code generate_crop_size_list} (spec §2.2) for a target size. */
	public static List<ImageSize> candidateSizes(final int targetSize) {
		final int numPatches = (targetSize / 32) * (targetSize / 32);
		final List<ImageSize> sizes = new ArrayList<>();
		int wp = numPatches, hp = 1;
		while (wp > 0) {
			if (Math.max(wp, hp) / (double) Math.min(wp, hp) <= 4) sizes.add(new ImageSize(wp * 32, hp * 32));
			if ((hp + 1) * wp <= numPatches) hp++;
			else wp--;
		}
		return sizes;
	}

	/**
	 * Checks every image in {@code tokens} against spec §1.3 and the candidate sizes, written
	 * independently of the runtime's own checks.
	 *
	 * @return {@code [completeImages, 1 if the last image is open else 0]}
	 * @throws AssertionError naming the offending index
	 */
	public static int[] checkImages(final int[] tokens, final TokenIds ids, final Collection<ImageSize> sizes) {
		int complete = 0;
		int i = 0;
		while (i < tokens.length) {
			final int t = tokens[i];
			if (t == ids.imageEnd() || t == ids.endOfLine()) throw new AssertionError("end token " + t + " outside an image at " + i);
			if (t != ids.imageStart()) {
				i++;
				continue;
			}
			if (i + 2 >= tokens.length) return new int[] { complete, 1 };
			final int height = (tokens[i + 1] - ids.sizeBase()) * 32, width = (tokens[i + 2] - ids.sizeBase()) * 32;
			if (height <= 0 || width <= 0 || !sizes.contains(new ImageSize(width, height))) {
				throw new AssertionError("image at " + i + " has size tokens " + tokens[i + 1] + "," + tokens[i + 2] +
					" = " + width + "x" + height + ", not a candidate");
			}
			i += 3;
			for (int r = 0; r < height / 16; r++) {
				for (int c = 0; c <= width / 16; c++, i++) {
					if (i >= tokens.length) return new int[] { complete, 1 };
					final boolean ok = c == width / 16 ? tokens[i] == ids.endOfLine() : ids.imageTokens().contains(tokens[i]);
					if (!ok) throw new AssertionError("token " + tokens[i] + " at " + i + " breaks row " + r + " column " + c);
				}
			}
			if (i >= tokens.length) return new int[] { complete, 1 };
			if (tokens[i] != ids.imageEnd()) throw new AssertionError("expected end of image at " + i + ", got " + tokens[i]);
			complete++;
			i++;
		}
		return new int[] { complete, 0 };
	}
}
