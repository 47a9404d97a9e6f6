package org.lumina.mgpt.plugin.command;

import java.util.Map;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; Lumina-mGPT &gt; Ask About Image: answers a question about the input image. The
 * conversation is kept in the image property {@code lumina.conversation}, so a second question
 * follows the first unless {@code new_conversation} is set.
 */
@Plugin(type = Command.class)
public class AskAboutImageCommand extends AbstractImageTaskCommand {

	@Parameter(label = "question", persist = false, description = "The question about the image")
	private String question = "";

	@Parameter(label = "new_conversation", persist = false,
		description = "Start a new conversation instead of continuing the one stored on the image")
	private boolean new_conversation = false;

	@Override
	protected String taskId() {
		return "ask";
	}

	@Override
	protected Map<String, String> promptFields() {
		if (question == null || question.isBlank()) throw new IllegalArgumentException("question must not be empty");
		return Map.of("question", question, "new_conversation", String.valueOf(new_conversation));
	}
}
