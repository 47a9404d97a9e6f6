package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Depth Estimation: a depth map of the input image (32-bit, the model's depth convention). */
@Plugin(type = Command.class)
public class DepthEstimationCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "depth";
	}
}
