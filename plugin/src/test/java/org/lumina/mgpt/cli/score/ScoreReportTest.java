package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.task.read.PaletteClass;

/** Tests {@link ScoreReport} and {@link BundleScorer#byName}. */
class ScoreReportTest {

	@Test
	void everyMetricHasAValueAndACountOrNulls() {
		final ScoreReport report = new ScoreReport();
		report.add(Metric.GROUNDING_BOX_IOU, 0.5, "/b");
		report.add(Metric.GROUNDING_BOX_IOU, 1.0, "/b");
		final Map<String, Object> json = report.json();
		assertEquals(2 * Metric.values().length + 1, json.size());
		assertEquals(0.75, (double) json.get("grounding_box_iou"), 1e-12);
		assertEquals(2, json.get("grounding_box_iou_n"));
		assertTrue(json.containsKey("caption_accuracy") && json.containsKey("caption_accuracy_n"));
		assertNull(json.get("caption_accuracy"));
		assertNull(json.get("caption_accuracy_n"));
		assertEquals(Map.of("grounding_box_iou", "/b"), json.get("bundles"));
	}

	/**
	 * A scene answered in several passes counts once, with the mean of its passes; a metric only
	 * the first pass measured (the VQ's round trips) keeps that pass's value.
	 */
	@Test
	void aSceneOfSeveralPassesCountsOnceWithTheirMean() {
		final ScoreReport report = new ScoreReport();
		final ScoreReport first = new ScoreReport();
		first.add(Metric.CAPTION_ACCURACY, 1, "/b");
		first.add(Metric.SEGMENTATION_MIOU_VQ_CEILING, 0.9, "/b");
		final ScoreReport second = new ScoreReport();
		second.add(Metric.CAPTION_ACCURACY, 0, "/b");
		final ScoreReport third = new ScoreReport();
		third.add(Metric.CAPTION_ACCURACY, 1, "/b");
		report.addMeanOf(List.of(first, second, third));
		final ScoreReport otherScene = new ScoreReport();
		otherScene.add(Metric.CAPTION_ACCURACY, 0, "/b");
		otherScene.add(Metric.SEGMENTATION_MIOU_VQ_CEILING, 0.5, "/b");
		report.addMeanOf(List.of(otherScene));
		assertEquals((2.0 / 3 + 0) / 2, report.value(Metric.CAPTION_ACCURACY).getAsDouble(), 1e-12);
		assertEquals(2, report.scenes(Metric.CAPTION_ACCURACY));
		assertEquals(0.7, report.value(Metric.SEGMENTATION_MIOU_VQ_CEILING).getAsDouble(), 1e-12);
		assertEquals(2, report.scenes(Metric.SEGMENTATION_MIOU_VQ_CEILING));
		assertEquals(Map.of("caption_accuracy", "/b", "segmentation_miou_vq_ceiling", "/b"), report.json().get("bundles"));
	}

	/** Merging keeps what a report has and takes from the other what it lacks. */
	@Test
	void mergeTakesOnlyMissingMetrics() {
		final ScoreReport first = new ScoreReport();
		first.add(Metric.DEPTH_SPEARMAN, 0.9, "/a");
		final ScoreReport second = new ScoreReport();
		second.add(Metric.DEPTH_SPEARMAN, 0.1, "/b");
		second.add(Metric.CAPTION_ACCURACY, 1, "/b");
		first.merge(second);
		assertEquals(0.9, first.value(Metric.DEPTH_SPEARMAN).getAsDouble(), 1e-12);
		assertEquals(1.0, first.value(Metric.CAPTION_ACCURACY).getAsDouble(), 1e-12);
		assertEquals("/b", ((Map<?, ?>) first.json().get("bundles")).get("caption_accuracy"));
	}

	@Test
	void theTableSaysWhetherEachGoalIsMet() {
		final ScoreReport report = new ScoreReport();
		report.add(Metric.SEGMENTATION_MIOU, 0.8, "/a");
		report.add(Metric.NORMALS_MEAN_ANGLE_DEG, 30, "/a");
		final StringWriter text = new StringWriter();
		report.printTable(new PrintWriter(text, true));
		assertTrue(text.toString().contains("segmentation_miou                 0.800      1  >= 0.750  met"), text::toString);
		assertTrue(text.toString().contains("normals_mean_angle_deg           30.000      1  <= 25.000  NOT met"),
			text::toString);
	}

	/** Labels compare by class name, so a palette in another order still matches. */
	@Test
	void labelsCompareByClassName() {
		final List<PaletteClass> truth = List.of(new PaletteClass("background", 0, 0, 0), new PaletteClass("disc", 1, 1, 1));
		final List<PaletteClass> model = List.of(new PaletteClass("disc", 1, 1, 1), new PaletteClass("background", 0, 0,
			0), new PaletteClass("person", 2, 2, 2));
		final List<String> names = new java.util.ArrayList<>();
		final int[] expected = BundleScorer.byName(new int[] { 0, 1, 1 }, truth, names);
		final int[] answer = BundleScorer.byName(new int[] { 1, 0, 2 }, model, names);
		assertEquals(List.of("background", "disc", "person"), names);
		// background 1/1, disc 1/2, person 0/1
		assertEquals((1 + 0.5 + 0) / 3, MeanIou.of(answer, expected, names.size()), 1e-12);
	}
}
