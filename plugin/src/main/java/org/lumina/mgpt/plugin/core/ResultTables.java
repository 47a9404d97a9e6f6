package org.lumina.mgpt.plugin.core;

import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.ImageProcessor;

import org.lumina.mgpt.runtime.task.read.PaletteClass;
import org.lumina.mgpt.runtime.task.read.TaskOutput;

/** The Results tables of image tasks: segmentation class areas, pose keypoints. */
final class ResultTables {

	private ResultTables() {}

	/** @return per plane and class: label, class name, pixels and calibrated area of {@code labels} */
	static ResultsTable areas(final ImagePlus labels, final List<PaletteClass> classes, final int planes) {
		final Calibration cal = labels.getCalibration();
		final double pixelArea = cal.pixelWidth * cal.pixelHeight;
		final String unit = cal.getUnit() + "^2";
		final ResultsTable table = new ResultsTable();
		final ImageStack stack = labels.getStack();
		for (int p = 1; p <= stack.getSize(); p++) {
			final long[] counts = new long[classes.size()];
			final ImageProcessor ip = stack.getProcessor(p);
			for (int i = 0; i < ip.getPixelCount(); i++) {
				final int label = ip.get(i);
				if (label < counts.length) counts[label]++;
			}
			for (int c = 0; c < classes.size(); c++) {
				table.incrementCounter();
				if (planes > 1) table.addValue("plane", p);
				table.addValue("label", c);
				table.addValue("class", classes.get(c).name());
				table.addValue("pixels", counts[c]);
				table.addValue("area", counts[c] * pixelArea);
				table.addValue("unit", unit);
			}
		}
		return table;
	}

	/**
	 * @param perPlane each plane's keypoints in the INPUT image's pixel coordinates (continuous:
	 *          pixel (0, 0) covers [0, 1))
	 * @param cal the input's calibration
	 * @return per plane and keypoint of the convention: its name, {@code x}, {@code y} (input
	 *         pixels, NaN when not found), {@code found} (1 or 0), and the position in
	 *         {@code cal}'s unit ({@code x_cal}, {@code y_cal}, {@code unit})
	 */
	static ResultsTable keypoints(final List<TaskOutput.Keypoints> perPlane, final Calibration cal) {
		final ResultsTable table = new ResultsTable();
		for (int p = 0; p < perPlane.size(); p++) {
			final TaskOutput.Keypoints plane = perPlane.get(p);
			for (final PaletteClass c : plane.classes()) {
				final double[] xy = plane.find(c.name()).map(k -> new double[] { k.x(), k.y() }).orElse(new double[] {
					Double.NaN, Double.NaN });
				table.incrementCounter();
				if (perPlane.size() > 1) table.addValue("plane", p + 1);
				table.addValue("keypoint", c.name());
				table.addValue("x", xy[0]);
				table.addValue("y", xy[1]);
				table.addValue("found", Double.isNaN(xy[0]) ? 0 : 1);
				table.addValue("x_cal", cal.getX(xy[0]));
				table.addValue("y_cal", cal.getY(xy[1]));
				table.addValue("unit", cal.getUnit());
			}
		}
		return table;
	}
}
