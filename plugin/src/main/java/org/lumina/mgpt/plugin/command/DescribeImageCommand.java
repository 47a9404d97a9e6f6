package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Describe Image: a text description of the input image, in the Log and a Results table. */
@Plugin(type = Command.class)
public class DescribeImageCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "describe";
	}
}
