package org.lumina.mgpt.plugin.command;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins &gt; Lumina-mGPT &gt; Surface Normals: a surface normal map of the input image. */
@Plugin(type = Command.class)
public class SurfaceNormalsCommand extends AbstractImageTaskCommand {

	@Override
	protected String taskId() {
		return "normals";
	}
}
