package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link CacheRows}: rewinding masks the newest columns, and compaction keeps only attended ones. */
class CacheRowsTest {

	/** {@link CacheRows#rewind}, {@link CacheRows#wasteful}, {@link CacheRows#keepColumns}. */
	@Test
	void rewindMasksAndCompactionDropsTheMaskedColumns() {
		final CacheRows rows = new CacheRows();
		run(rows, new int[] { 1, 2, 3 });
		for (int i = 0; i < 30; i++) {
			run(rows, new int[] { 4, 5, 6, 7, 8 });
			rows.rewind(0, rows.nextPosition(0) - 4);
		}
		assertEquals(33, rows.nextPosition(0));
		assertTrue(rows.wasteful(), "153 columns, 33 attended");
		final int[] kept = rows.attendedColumns();
		assertEquals(33, kept.length);
		assertArrayEquals(new int[] { 0, 1, 2, 3, 8 }, java.util.Arrays.copyOf(kept, 5));
		rows.keepColumns(kept);
		assertFalse(rows.wasteful());
		final CacheRows.Layout next = rows.layout(new int[][] { { 9 } });
		assertEquals(34, next.columns());
		for (int c = 0; c < next.columns(); c++) assertEquals(1, next.mask()[c], "column " + c);
		assertEquals(33, next.positions()[0]);
	}

	private static void run(final CacheRows rows, final int[] tokens) {
		final int[][] chunk = { tokens };
		rows.commit(rows.layout(chunk), chunk);
	}
}
