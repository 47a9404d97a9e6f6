package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Semantic Segmentation: a label image of the input and a table of class areas. */
@Plugin(type = Command.class)
public class SemanticSegmentationCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "segmentation";
	}
}
