package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Pose Estimation: a human pose (keypoint) map of the input image. */
@Plugin(type = Command.class)
public class PoseEstimationCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "pose";
	}
}
