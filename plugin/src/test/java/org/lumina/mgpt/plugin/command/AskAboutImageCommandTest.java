package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.CommandModule;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/** Tests {@link AskAboutImageCommand}: answers in a table, the conversation on the image. */
class AskAboutImageCommandTest {

	/** Two questions make a four-turn conversation; new_conversation starts again. */
	@Test
	void keepsTheConversation() throws Exception {
		try (Context context = TestBundles.context()) {
			final ImagePlus input = TaskCommands.gradient(32, 32, 1);
			final CommandModule first = TaskCommands.run(context, AskAboutImageCommand.class, "image", input, "question",
				"How many cells?", "max_tokens", 8);
			final ResultsTable table = (ResultsTable) first.getOutput("table");
			assertNotNull(table);
			assertEquals(1, table.size());
			assertNull(first.getOutput("result"));
			final String one = input.getProp("lumina.conversation");
			assertTrue(one.contains("How many cells?"), one);
			TaskCommands.run(context, AskAboutImageCommand.class, "image", input, "question", "Which colour?",
				"max_tokens", 8);
			final String two = input.getProp("lumina.conversation");
			assertTrue(two.contains("How many cells?") && two.contains("Which colour?"), two);
			TaskCommands.run(context, AskAboutImageCommand.class, "image", input, "question", "Again?", "max_tokens", 8,
				"new_conversation", true);
			final String three = input.getProp("lumina.conversation");
			assertTrue(three.contains("Again?") && !three.contains("How many cells?"), three);
		}
	}

	/** An empty question is refused, naming the field. */
	@Test
	void needsAQuestion() {
		try (Context context = TestBundles.context()) {
			final ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
				() -> TaskCommands.run(context, AskAboutImageCommand.class, "image", TaskCommands.gradient(32, 32, 1),
					"question", " "));
			assertTrue(TaskCommands.rootCause(e).getMessage().contains("question"), String.valueOf(TaskCommands.rootCause(e)));
		}
	}
}
