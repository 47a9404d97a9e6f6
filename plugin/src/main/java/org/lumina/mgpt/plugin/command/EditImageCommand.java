package org.lumina.mgpt.plugin.command;

import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Edit Image: the input image changed as the instruction says. */
@Plugin(type = Command.class)
public class EditImageCommand extends AbstractImageTaskCommand {

	@Parameter(label = "instruction", persist = false, description = "The edit, e.g. Make it winter")
	private String instruction = "";

	@Override
	protected String taskId() {
		return "edit";
	}

	@Override
	protected Map<String, String> promptFields() {
		return fields("instruction", instruction);
	}
}
