package org.lumina.mgpt.runtime.vq;

import java.util.Arrays;
import java.util.Optional;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.text.ImageTokenMap;

/**
 * A piece of a generated token sequence, as split by {@link UniRep#parse}: text, a complete
 * image, or an image the sequence ended inside of.
 */
public sealed interface Segment {

	/**
	 * Tokens outside any image (decode them with the text tokenizer).
	 *
	 * @param tokens the vocabulary ids, in order
	 */
	record Text(int[] tokens) implements Segment {

		@Override
		public boolean equals(final Object o) {
			return o instanceof Text t && Arrays.equals(t.tokens, tokens);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(tokens);
		}

		@Override
		public String toString() {
			return "Text" + Arrays.toString(tokens);
		}
	}

	/**
	 * A complete image: start, size tokens, every row with its end of line, end of image.
	 *
	 * @param codes the VQ codes, {@code size.height() / 16} rows of {@code size.width() / 16}
	 * @param size the pixel size the size tokens announced
	 */
	record Image(CodeGrid codes, ImageSize size) implements Segment {}

	/**
	 * An image that was started but not finished when the sequence ended (generation stopped or
	 * ran out of tokens). It is reported, never decoded silently.
	 *
	 * @param tokens the image's tokens from its start token on
	 * @param size the announced size, when both size tokens were there
	 * @param completeRows how many rows were complete, with their end of line
	 */
	record IncompleteImage(int[] tokens, Optional<ImageSize> size, int completeRows) implements Segment {

		/**
		 * The image's codes as far as they were generated, at the announced size, e.g. to preview
		 * it while it is generated: rows not generated yet repeat the last complete row (a grid
		 * the VQ decoder accepts, without a hard edge where generation stands).
		 *
		 * @return the full-size grid, or empty before the size tokens and the first end of line
		 */
		public Optional<CodeGrid> codesSoFar(final ImageTokenMap map) {
			if (size.isEmpty() || completeRows == 0) return Optional.empty();
			final int rows = size.get().height() / 16;
			final int columns = size.get().width() / 16;
			final int[] codes = new int[rows * columns];
			for (int y = 0; y < rows; y++) {
				final int source = Math.min(y, completeRows - 1);
				for (int x = 0; x < columns; x++) {
					// NB: start token and two size tokens, then each row's codes and its end of line
					codes[y * columns + x] = map.code(tokens[3 + source * (columns + 1) + x]);
				}
			}
			return Optional.of(new CodeGrid(rows, columns, codes));
		}

		@Override
		public boolean equals(final Object o) {
			return o instanceof IncompleteImage i && Arrays.equals(i.tokens, tokens) && i.size.equals(size) &&
				i.completeRows == completeRows;
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(tokens) + size.hashCode() + completeRows;
		}

		@Override
		public String toString() {
			return "IncompleteImage[" + tokens.length + " tokens, size " + size.map(ImageSize::toString).orElse("?") +
				", " + completeRows + " complete rows]";
		}
	}
}
