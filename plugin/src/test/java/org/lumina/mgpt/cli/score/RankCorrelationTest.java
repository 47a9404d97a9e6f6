package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests {@link RankCorrelation#spearman}. */
class RankCorrelationTest {

	@Test
	void sameOrderIsOneWhateverTheScale() {
		assertEquals(1.0, RankCorrelation.spearman(new double[] { 1, 2, 3, 10 }, new double[] { 0.1, 0.5, 0.6, 0.9 }), 1e-12);
	}

	@Test
	void reversedOrderIsMinusOne() {
		assertEquals(-1.0, RankCorrelation.spearman(new double[] { 1, 2, 3, 4 }, new double[] { 4, 3, 2, 1 }), 1e-12);
	}

	@Test
	void tiesShareTheirAverageRank() {
		assertArrayEquals(new double[] { 1.5, 1.5, 3, 4 }, RankCorrelation.ranks(new double[] { 5, 5, 6, 7 }), 1e-12);
		// ranks (1.5, 1.5, 3, 4) against (1, 2, 3, 4): Pearson = 4.5 / sqrt(4.5 * 5)
		assertEquals(4.5 / Math.sqrt(4.5 * 5), RankCorrelation.spearman(new double[] { 5, 5, 6, 7 }, new double[] { 1, 2,
			3, 4 }), 1e-12);
	}

	@Test
	void aConstantSideOrdersNothing() {
		assertEquals(0.0, RankCorrelation.spearman(new double[] { 2, 2, 2 }, new double[] { 1, 2, 3 }), 1e-12);
	}

	/** The report clamps a negative mean to 0: an inverted depth map is as wrong as none. */
	@Test
	void theReportClampsANegativeMeanToZero() {
		final ScoreReport report = new ScoreReport();
		report.add(Metric.DEPTH_SPEARMAN, -1, "b");
		report.add(Metric.DEPTH_SPEARMAN, 0.5, "b");
		assertEquals(0.0, report.value(Metric.DEPTH_SPEARMAN).getAsDouble(), 1e-12);
		assertEquals(2, report.scenes(Metric.DEPTH_SPEARMAN));
	}
}
