package org.lumina.mgpt.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.bundle.TaskFamily;

/** The task prompts are the reference's exact strings (spec §2.1, §4.2). */
class TaskCatalogTest {

	private final TaskCatalog catalog = TaskCatalog.standard();

	@Test
	void promptsAreTheReferenceStrings() {
		assertEquals("Generate an image of 768x512 according to the following prompt:\nA red disc", catalog.get("t2i")
			.prompt(Map.of("width", "768", "height", "512", "caption", "A red disc")));
		assertEquals("Depth estimation. <|image|>", catalog.get("depth").prompt(Map.of()));
		assertEquals("Surface normal estimation. <|image|>", catalog.get("normals").prompt(Map.of()));
		assertEquals("Segmentic segmentation. <|image|>", catalog.get("segmentation").prompt(Map.of()));
		assertEquals("Human pose estimation. <|image|>", catalog.get("pose").prompt(Map.of()));
		assertEquals("Detect: the red disc <|image|>", catalog.get("detect").prompt(Map.of("object", "the red disc")));
		assertEquals("Generate an image according to the provided image, and according to the following caption:\n" +
			"A cat <|image|>", catalog.get("condition").prompt(Map.of("caption", "A cat")));
		assertEquals("Make it blue <|image|>", catalog.get("edit").prompt(Map.of("instruction", "Make it blue")));
		assertEquals("Describe the image in detail. <|image|>", catalog.get("describe").prompt(Map.of()));
	}

	@Test
	void everyTaskHasItsFamilyAndAnswerKind() {
		assertEquals(List.of("t2i", "depth", "normals", "segmentation", "pose", "detect", "condition", "edit",
			"describe", "ask"), catalog.all().stream().map(Task::id).toList());
		assertEquals(TaskFamily.TEXT_TO_IMAGE, catalog.get("t2i").family());
		assertEquals(TaskFamily.TEXT, catalog.get("ask").family());
		assertTrue(catalog.get("segmentation").imageAnswer());
		assertEquals(List.of("width", "height", "caption"), catalog.get("t2i").fields());
	}

	@Test
	void missingFieldsAndUnknownTasksAreNamed() {
		final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> catalog.get("detect")
			.prompt(Map.of()));
		assertTrue(missing.getMessage().contains("task detect needs a value for 'object'"), missing.getMessage());
		final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> catalog.get("dept"));
		assertTrue(unknown.getMessage().contains("unknown task 'dept'") && unknown.getMessage().contains("depth"));
	}
}
