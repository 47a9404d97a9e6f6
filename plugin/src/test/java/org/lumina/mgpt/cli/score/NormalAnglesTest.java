package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests {@link NormalAngles#meanDegrees}. */
class NormalAnglesTest {

	/** Four pixels: planar x | y | z. */
	private static float[] vectors(final float[]... v) {
		final int n = v.length;
		final float[] out = new float[3 * n];
		for (int i = 0; i < n; i++) {
			for (int c = 0; c < 3; c++) out[c * n + i] = v[i][c];
		}
		return out;
	}

	@Test
	void knownAngles() {
		final float[] truth = vectors(new float[] { 0, 0, 1 }, new float[] { 0, 0, 1 }, new float[] { 0, 0, 1 },
			new float[] { 1, 0, 0 });
		final float[] predicted = vectors(new float[] { 0, 0, 2 }, new float[] { 1, 0, 1 }, new float[] { 0, 1, 0 },
			new float[] { -1, 0, 0 });
		assertEquals(0, NormalAngles.meanDegrees(predicted, truth, new boolean[] { true, false, false, false }), 1e-4);
		assertEquals(45, NormalAngles.meanDegrees(predicted, truth, new boolean[] { false, true, false, false }), 1e-4);
		assertEquals(90, NormalAngles.meanDegrees(predicted, truth, new boolean[] { false, false, true, false }), 1e-4);
		assertEquals(180, NormalAngles.meanDegrees(predicted, truth, new boolean[] { false, false, false, true }), 1e-4);
		assertEquals((0 + 45 + 90 + 180) / 4.0, NormalAngles.meanDegrees(predicted, truth, new boolean[] { true, true, true,
			true }), 1e-4);
	}

	@Test
	void aZeroVectorCountsAsNinetyDegrees() {
		assertEquals(90, NormalAngles.meanDegrees(vectors(new float[] { 0, 0, 0 }), vectors(new float[] { 0, 0, 1 }),
			new boolean[] { true }), 1e-9);
	}

	/** The report keeps the angle as it is (it is no fraction). */
	@Test
	void theReportDoesNotClampTheAngle() {
		final ScoreReport report = new ScoreReport();
		report.add(Metric.NORMALS_MEAN_ANGLE_DEG, 40, "b");
		assertEquals(40, report.value(Metric.NORMALS_MEAN_ANGLE_DEG).getAsDouble(), 1e-12);
	}
}
