package org.lumina.mgpt.runtime.onnx;

import java.util.Arrays;

/**
 * The rows of a decoder call over one KV cache ({@link OrtKvCache}): which cache columns each row
 * attends to and each row's next position. All rows share the cache's columns; a row attends only
 * to its own tokens (mask 1), never to padding or to columns from before it was added (mask 0).
 * Rows fed chunks of different lengths in one call are left-padded, so that every row's last token
 * sits at the last position; padding is never attended and its positions do not matter.
 * <p>
 * A row is rewound by masking its newest attended columns ({@link #rewind}): the cache keeps them,
 * unseen, and later tokens take their positions again. Invariant: a row attends to exactly
 * {@link #nextPosition} columns, one per position it holds, in position order.
 * NB: masked columns still cost memory, attention compute and the graph's concatenation copy at
 * every step, and speculative decoding leaves about one per rejected draft; once they outnumber
 * the attended ones, {@link #wasteful} says so and the session rebuilds the cache without them
 * ({@link #keepColumns}).
 */
final class CacheRows {

	/**
	 * One call's inputs, row-major: {@code ids} and {@code positions} [rows, length], {@code mask}
	 * [rows, columns], each at the start of an array that may be longer. NB: the arrays are the
	 * {@link CacheRows}' own, reused at every call: a layout is valid until the next {@link #layout}.
	 */
	record Layout(int rows, int length, int columns, long[] ids, long[] positions, long[] mask) {}

	/** NB: padding feeds token 0: any vocabulary id would do, since no row attends to it. */
	private static final long PADDING_TOKEN = 0;

	private long[][] masks = new long[2][64]; // [row][column] 1 = attended, 0 = padding or another row's past
	private final int[] nextPositions = new int[2];
	private int rows = 1;
	private int columns;
	private long[] ids = new long[2]; // the arrays of the last layout, grown as needed
	private long[] positions = new long[2];
	private long[] mask = new long[128];

	/** @return how many rows the next call has */
	int rows() {
		return rows;
	}

	/** @return the next position of {@code row}, i.e. how many tokens it was fed */
	int nextPosition(final int row) {
		return nextPositions[row];
	}

	/** Adds the second row: empty, positions from 0, blind to every column so far. */
	void addRow() {
		if (rows != 1) throw new IllegalStateException("the cache already has " + rows + " rows");
		Arrays.fill(masks[1], 0, columns, 0);
		nextPositions[1] = 0;
		rows = 2;
	}

	/**
	 * Forgets the positions of {@code row} from {@code numPositions} on by masking its newest
	 * attended columns; the caller checks {@code 0 <= numPositions <= nextPosition(row)}.
	 */
	void rewind(final int row, final int numPositions) {
		int drop = nextPositions[row] - numPositions;
		for (int column = columns - 1; drop > 0; column--) {
			if (masks[row][column] == 1) {
				masks[row][column] = 0;
				drop--;
			}
		}
		nextPositions[row] = numPositions;
	}

	/**
	 * @return whether more than half of the columns (and more than a few) are attended by no row:
	 *         then rebuilding the cache without them costs less than carrying them
	 */
	boolean wasteful() {
		int attended = 0;
		for (int row = 0; row < rows; row++) attended = Math.max(attended, nextPositions[row]);
		return columns > 2 * attended + 64;
	}

	/** @return the columns that some row attends to, ascending: what a rebuilt cache keeps */
	int[] attendedColumns() {
		int count = 0;
		final int[] kept = new int[columns];
		for (int column = 0; column < columns; column++) {
			for (int row = 0; row < rows; row++) {
				if (masks[row][column] == 1) {
					kept[count++] = column;
					break;
				}
			}
		}
		return Arrays.copyOf(kept, count);
	}

	/** Records that the cache now holds only the columns {@code kept} (ascending), in that order. */
	void keepColumns(final int[] kept) {
		for (int row = 0; row < masks.length; row++) {
			for (int i = 0; i < kept.length; i++) masks[row][i] = masks[row][kept[i]];
		}
		columns = kept.length;
	}

	/** Drops the second row; the first keeps its columns. */
	void keepFirstRow() {
		rows = 1;
	}

	/**
	 * @return the inputs that feed {@code tokens[row]} to each row (left-padded), in arrays reused
	 *         from the last call; changes nothing else
	 */
	Layout layout(final int[][] tokens) {
		int length = 0;
		for (final int[] chunk : tokens) length = Math.max(length, chunk.length);
		final int total = columns + length;
		if (ids.length < rows * length) {
			ids = new long[rows * length];
			positions = new long[rows * length];
		}
		if (mask.length < rows * total) mask = new long[Math.max(rows * total, 2 * mask.length)];
		for (int row = 0; row < rows; row++) {
			final int padding = length - tokens[row].length;
			System.arraycopy(masks[row], 0, mask, row * total, columns);
			for (int i = 0; i < length; i++) {
				final boolean real = i >= padding;
				ids[row * length + i] = real ? tokens[row][i - padding] : PADDING_TOKEN;
				positions[row * length + i] = real ? nextPositions[row] + i - padding : 0;
				mask[row * total + columns + i] = real ? 1 : 0;
			}
		}
		return new Layout(rows, length, total, ids, positions, mask);
	}

	/** Records that {@code layout}, made by {@link #layout} from {@code tokens}, ran. */
	void commit(final Layout layout, final int[][] tokens) {
		if (layout.columns() > masks[0].length) {
			for (int row = 0; row < masks.length; row++) {
				masks[row] = Arrays.copyOf(masks[row], Math.max(layout.columns(), 2 * masks[row].length));
			}
		}
		for (int row = 0; row < rows; row++) {
			System.arraycopy(layout.mask(), row * layout.columns() + columns, masks[row], columns, layout.length());
			nextPositions[row] += tokens[row].length;
		}
		columns = layout.columns();
	}
}
