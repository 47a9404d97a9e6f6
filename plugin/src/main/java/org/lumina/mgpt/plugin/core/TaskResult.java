package org.lumina.mgpt.plugin.core;

import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * What a {@link TaskRunner} run produced. Nothing here is shown yet: the caller shows the images
 * and table (or saves them) and adds the ROIs to a ROI manager where there is one.
 *
 * @param images the new output images, titled {@code <input>-<task>} ({@code <task>} for text to
 *          image), provenance in their Info and properties; empty for text answers
 * @param table segmentation class areas, pose keypoints (keypoint, x, y, found, calibrated
 *          position; when the model's manifest declares the keypoint convention), or one row (task,
 *          prompt, answer) for text answers; {@code null} when the task has no table
 * @param text the answer's text ({@code ""} for image tasks unless the model wrote some)
 * @param rois what was read from the answer as ROIs, in the INPUT image's coordinates (selection
 *          offset included): detected boxes as rectangles named {@code "<object> 1"},
 *          {@code "<object> 2"}, …; pose's limbs between found keypoints as lines named
 *          {@code "<from>-<to>"}, then the found keypoints as points named after them; empty
 *          otherwise
 * @param provenance {@code key=value} provenance of the run (model, task, prompt, seed, sampling,
 *          device, engine version, elapsed time, input, preprocess), in order
 * @param notices things the user should know (unknown output convention, incomplete answer,
 *          warnings of the engine); empty when none
 */
public record TaskResult(List<ImagePlus> images, ResultsTable table, String text, List<Roi> rois,
	Map<String, String> provenance, List<String> notices)
{

	public TaskResult {
		images = List.copyOf(images);
		rois = List.copyOf(rois);
		provenance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
		notices = List.copyOf(notices);
		if (text == null) text = "";
	}
}
