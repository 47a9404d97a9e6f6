package org.lumina.mgpt.plugin.batch;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * The files one input gives: {@code <basename>-<task>.tif} (always; its Info holds the
 * provenance as {@code key=value} lines, which resume reads back), a {@code .csv} table and a
 * {@code .txt} text when the task has them.
 *
 * @param image the result image with its overlay, calibration and provenance Info
 * @param table measurements or boxes, or {@code null}
 * @param text the text answer, or {@code null}
 */
public record BatchOutput(ImagePlus image, ResultsTable table, String text) {

	/** @throws IllegalArgumentException when {@code image} is missing */
	public BatchOutput {
		if (image == null) throw new IllegalArgumentException("a batch output needs its result image (the TIFF carries the provenance)");
	}
}
