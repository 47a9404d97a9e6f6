package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.Box;

/** Tests {@link HeldoutSet} and the truth readers of {@link SyntheticScenes} on the committed scenes. */
class HeldoutSetTest {

	@Test
	void readsEveryScene() throws IOException {
		final List<HeldoutScene> scenes = HeldoutSet.read(ObjectClassifierTest.heldout());
		assertEquals(36, scenes.size());
		assertEquals("scene001", scenes.get(1).stem());
		assertEquals("160x96", scenes.get(1).size().toString());
		assertEquals("a small orange disc at the top left", scenes.get(0).caption());
		assertEquals(new PixelBox(8, 15, 46, 53), scenes.get(0).targetObject().box());
		assertEquals("segmentation", scenes.get(0).conditionInput());
		assertEquals("depth", scenes.get(1).conditionInput());
		assertEquals("Make the orange disc " + scenes.get(0).editColour() + ".", scenes.get(0).editInstruction());
	}

	/** The prompts the scorer builds with the engine's task layer are those the scenes were made with. */
	@Test
	void taskLayerPromptsEqualTheScenePrompts() throws IOException {
		final TaskCatalog tasks = TaskCatalog.standard();
		for (final HeldoutScene scene : HeldoutSet.read(ObjectClassifierTest.heldout())) {
			final JsonNode prompts = new ObjectMapper().readTree(scene.directory().resolve(scene.stem() + ".json").toFile())
				.path("prompts");
			assertEquals(prompts.path("t2i").asText(), tasks.get("t2i").prompt(Map.of("width", "" + scene.size().width(),
				"height", "" + scene.size().height(), "caption", scene.caption())));
			assertEquals(prompts.path("detect").asText(), tasks.get("detect").prompt(Map.of("object", scene.detectPhrase())));
			assertEquals(prompts.path("edit").asText(), tasks.get("edit").prompt(Map.of("instruction", scene
				.editInstruction())));
			assertEquals(prompts.path("condition").asText(), tasks.get("condition").prompt(Map.of("caption", scene
				.caption())));
			for (final String id : new String[] { "depth", "normals", "segmentation", "describe" }) {
				assertEquals(prompts.path(id).asText(), tasks.get(id).prompt(Map.of()), id);
			}
		}
	}

	/** The box drawn in each truth detect picture is the target's box. */
	@Test
	void truthDetectPicturesHoldTheTargetBox() throws IOException {
		for (final HeldoutScene scene : HeldoutSet.read(ObjectClassifierTest.heldout())) {
			final List<Box> boxes = SyntheticScenes.standard().boxReader().boxes(scene.truth("detect"));
			assertTrue(!boxes.isEmpty(), scene.stem());
			assertEquals(1.0, PixelBox.of(boxes.get(0)).iou(scene.targetObject().box()), 1e-9, scene.stem());
		}
	}

	@Test
	void locatesTheFolderInBesideOrElsewhere(@TempDir final Path dir) throws IOException {
		final Path bundle = dir.resolve("models/synthetic/text");
		java.nio.file.Files.createDirectories(bundle);
		assertEquals(Optional.empty(), HeldoutSet.locate(bundle, dir.resolve("none")));
		final Path shared = dir.resolve("models/synthetic/heldout");
		java.nio.file.Files.createDirectories(shared);
		java.nio.file.Files.writeString(shared.resolve(HeldoutSet.INDEX), "{\"scenes\": []}");
		assertEquals(Optional.of(shared), HeldoutSet.locate(bundle, dir.resolve("none")));
		assertEquals(Optional.of(shared), HeldoutSet.locate(dir.resolve("models/synthetic"), dir.resolve("none")));
		assertEquals(Optional.of(shared), HeldoutSet.locate(dir.resolve("elsewhere"), shared));
	}
}
