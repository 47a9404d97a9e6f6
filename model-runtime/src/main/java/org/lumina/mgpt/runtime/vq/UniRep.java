package org.lumina.mgpt.runtime.vq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.text.ImageTokenMap;

/**
 * Lumina-mGPT's unambiguous image representation (spec §1.3): an image of H x W pixels is
 * <pre>
 * image_start, size(H), size(W),
 *   row 0: W/16 image tokens, end_of_line
 *   ...
 *   row H/16-1: W/16 image tokens, end_of_line
 * image_end
 * </pre>
 * with {@code size(n px) = size_base + n/32}, height before width, {@code H/16 * (W/16 + 1) + 4}
 * tokens in all. All ids come from the manifest's {@link TokenIds}.
 */
public final class UniRep {

	/** The largest side a size token may announce, in 32 px units (4096 px). */
	public static final int MAX_GRIDS = 128;

	private UniRep() {}

	/**
	 * @return the Uni-Rep tokens of {@code grid}, whose sides must be even (the pixel size a
	 *         multiple of 32); a new array of {@link #tokenCount} ids
	 * @throws IllegalArgumentException when a side is odd or a code is outside the codebook
	 */
	public static int[] encode(final CodeGrid grid, final ImageTokenMap map, final TokenIds ids) {
		if (grid.height() % 2 != 0 || grid.width() % 2 != 0) {
			throw new IllegalArgumentException("code grid sides must be even (the image a multiple of 32 px), got " +
				grid.height() + "x" + grid.width());
		}
		final int[] out = new int[tokenCount(new ImageSize(grid.width() * 16, grid.height() * 16))];
		int p = 0;
		out[p++] = ids.imageStart();
		out[p++] = ids.sizeToken(grid.height() * 16);
		out[p++] = ids.sizeToken(grid.width() * 16);
		for (int y = 0; y < grid.height(); y++) {
			for (int x = 0; x < grid.width(); x++) {
				out[p++] = map.tokenId(grid.code(y, x));
			}
			out[p++] = ids.endOfLine();
		}
		out[p] = ids.imageEnd();
		return out;
	}

	/**
	 * @return the number of tokens of an image of {@code size}, {@code h*(w+1)+4} with
	 *         {@code h, w} the sides in 16 px codes
	 * @throws IllegalArgumentException when a side is not a multiple of 32
	 */
	public static int tokenCount(final ImageSize size) {
		if (size.width() % 32 != 0 || size.height() % 32 != 0) {
			throw new IllegalArgumentException("image size must be a multiple of 32 px on both sides, got " + size);
		}
		return size.height() / 16 * (size.width() / 16 + 1) + 4;
	}

	/**
	 * Splits a generated sequence into text and images. Outside images any id is text (as in the
	 * reference); inside an image the structure is checked strictly. An image still open at the
	 * end is returned as {@link Segment.IncompleteImage}. A trailing stop token, if any, is text:
	 * strip it before.
	 *
	 * @return the segments in order; text segments are never empty
	 * @throws IllegalArgumentException naming the position, the expected token and the one found,
	 *           when an image is malformed
	 */
	public static List<Segment> parse(final int[] tokens, final ImageTokenMap map, final TokenIds ids) {
		final List<Segment> segments = new ArrayList<>();
		int textStart = 0;
		int i = 0;
		while (i < tokens.length) {
			if (tokens[i] != ids.imageStart()) {
				i++;
				continue;
			}
			if (i > textStart) segments.add(new Segment.Text(Arrays.copyOfRange(tokens, textStart, i)));
			final ImageParser image = new ImageParser(tokens, i, map, ids);
			segments.add(image.parse());
			i = image.end();
			textStart = i;
		}
		if (textStart < tokens.length) segments.add(new Segment.Text(Arrays.copyOfRange(tokens, textStart, i)));
		return segments;
	}

	/** Reads one image from its start token on. */
	private static final class ImageParser {

		private final int[] tokens;
		private final int start;
		private final ImageTokenMap map;
		private final TokenIds ids;
		private int p;

		ImageParser(final int[] tokens, final int start, final ImageTokenMap map, final TokenIds ids) {
			this.tokens = tokens;
			this.start = start;
			this.map = map;
			this.ids = ids;
			this.p = start + 1;
		}

		int end() {
			return p;
		}

		Segment parse() {
			if (p + 2 > tokens.length) {
				if (p < tokens.length) sizeUnits("height"); // NB: still reject a wrong first size token
				return incomplete(Optional.empty(), 0);
			}
			final int heightUnits = sizeUnits("height");
			final int widthUnits = sizeUnits("width");
			final ImageSize size = new ImageSize(widthUnits * 32, heightUnits * 32);
			final int rows = 2 * heightUnits;
			final int columns = 2 * widthUnits;
			final int[] codes = new int[rows * columns];
			for (int y = 0; y < rows; y++) {
				for (int x = 0; x < columns; x++, p++) {
					if (p == tokens.length) return incomplete(Optional.of(size), y);
					if (!map.isImageToken(tokens[p])) {
						throw malformed("an image token (" + map.range().first() + ".." + map.range().last() + ") for row " +
							y + ", column " + x + " of a " + size + " image (" + columns + " codes per row)");
					}
					codes[y * columns + x] = map.code(tokens[p]);
				}
				if (p == tokens.length) return incomplete(Optional.of(size), y);
				if (tokens[p] != ids.endOfLine()) {
					throw malformed("end of line (" + ids.endOfLine() + ") after the " + columns + " codes of row " + y);
				}
				p++;
			}
			if (p == tokens.length) return incomplete(Optional.of(size), rows);
			if (tokens[p] != ids.imageEnd()) {
				throw malformed("end of image (" + ids.imageEnd() + ") after the " + rows + " rows of a " + size + " image");
			}
			p++;
			return new Segment.Image(new CodeGrid(rows, columns, codes), size);
		}

		private int sizeUnits(final String side) {
			final int units = tokens[p] - ids.sizeBase();
			if (units < 1 || units > MAX_GRIDS) {
				throw malformed("the " + side + " size token (" + (ids.sizeBase() + 1) + ".." + (ids.sizeBase() + MAX_GRIDS) +
					", size_base + pixels/32)");
			}
			p++;
			return units;
		}

		private Segment incomplete(final Optional<ImageSize> size, final int completeRows) {
			final int[] rest = Arrays.copyOfRange(tokens, start, tokens.length);
			p = tokens.length;
			return new Segment.IncompleteImage(rest, size, completeRows);
		}

		private IllegalArgumentException malformed(final String expected) {
			return new IllegalArgumentException("malformed image starting at token " + start + ": token " + p +
				" should be " + expected + ", got " + tokens[p]);
		}
	}
}
