package org.lumina.mgpt.plugin.command;

import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Image from Condition: a new image that follows the input (a depth map, edges, …) and a caption. */
@Plugin(type = Command.class)
public class ImageFromConditionCommand extends AbstractImageTaskCommand {

	@Parameter(label = "caption", persist = false, description = "What the new image shows")
	private String caption = "";

	@Override
	protected String taskId() {
		return "condition";
	}

	@Override
	protected Map<String, String> promptFields() {
		return fields("caption", caption);
	}
}
