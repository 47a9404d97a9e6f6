package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; Lumina-mGPT &gt; Pose Estimation: a human pose (keypoint) map of the input image.
 * Where the model's manifest declares the keypoint convention, also the keypoints read from it,
 * as named point ROIs, the limbs between them as line ROIs, and a table (see TaskResult).
 */
@Plugin(type = Command.class)
public class PoseEstimationCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "pose";
	}
}
