package org.lumina.mgpt.plugin.command;

import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Detect Object: boxes around the named object, as ROIs, an overlay and a mask image. */
@Plugin(type = Command.class)
public class DetectObjectCommand extends AbstractImageTaskCommand {

	@Parameter(label = "object", persist = false, description = "What to find, e.g. cell or person")
	private String object = "";

	@Override
	protected String taskId() {
		return "detect";
	}

	@Override
	protected Map<String, String> promptFields() {
		return fields("object", object);
	}
}
