package org.lumina.mgpt.cli.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.Box;
import org.lumina.mgpt.runtime.task.read.Keypoint;

/** Tests {@link HeldoutSet}, the truth readers of {@link SyntheticScenes} and figure PCK on the committed scenes. */
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
		final HeldoutScene.Figure figure = scenes.get(0).pose();
		assertEquals(83.932, figure.height(), 1e-3);
		assertEquals("yellow", figure.colour());
		assertEquals(11, figure.keypoints().size());
		assertEquals("head", figure.keypoints().get(0).name());
		assertEquals(74.381, figure.keypoints().get(0).x(), 1e-3);
		assertEquals(34.766, figure.keypoints().get(0).y(), 1e-3);
		assertEquals("scene000_pose_rgb.png", scenes.get(0).files().get("pose_rgb"));
		assertEquals("scene000_pose.png", scenes.get(0).files().get("pose"));
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
			for (final String id : new String[] { "depth", "normals", "segmentation", "pose", "describe" }) {
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

	/**
	 * Each truth keypoint map, read with the scenes' convention, gives every keypoint of the figure,
	 * all correct by PCK (a disc drawn over another one moves the other's centroid by a pixel or
	 * two, so not all are within half a pixel). The pose picture has the scene's size.
	 */
	@Test
	void truthPoseMapsHoldTheFiguresKeypoints() throws IOException {
		for (final HeldoutScene scene : HeldoutSet.read(ObjectClassifierTest.heldout())) {
			final List<Keypoint> found = SyntheticScenes.standard().keypointReader().read(scene.truth("pose")).found();
			assertEquals(11, found.size(), scene.stem());
			assertEquals(1.0, scene.pose().pck(found), scene.stem());
			assertEquals(scene.size().width(), scene.truth("pose_rgb").dimension(0), scene.stem());
		}
	}

	/** {@link HeldoutScene.Figure#pck}: a keypoint counts within 0.1 x the height, a missing one does not. */
	@Test
	void pckCountsKeypointsNearEnough() {
		final HeldoutScene.Figure figure = new HeldoutScene.Figure(50, "red", List.of(new Keypoint("head", 10, 10),
			new Keypoint("neck", 10, 20), new Keypoint("pelvis", 10, 40), new Keypoint("left_hand", 0, 30)));
		assertEquals(0.5, figure.pck(List.of(new Keypoint("head", 13, 14), new Keypoint("neck", 10, 25.01),
			new Keypoint("pelvis", 10, 40), new Keypoint("other", 0, 30))), 1e-12);
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

	/** A set written before a truth existed (here the pose) is refused with the key and the fix. */
	@Test
	void namesTheMissingTruthOfAnOlderSet(@TempDir final Path dir) throws IOException {
		final Path committed = ObjectClassifierTest.heldout();
		final ObjectMapper json = new ObjectMapper();
		final ObjectNode scene = (ObjectNode) json.readTree(committed.resolve("scene000.json").toFile());
		scene.remove("pose");
		json.writeValue(dir.resolve("scene000.json").toFile(), scene);
		java.nio.file.Files.writeString(dir.resolve(HeldoutSet.INDEX), "{\"scenes\": [{\"stem\": \"scene000\"}]}");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeldoutSet.read(dir));
		assertTrue(e.getMessage().contains("scene000.json") && e.getMessage().contains("no 'pose'") && e.getMessage()
			.contains("synthetic.py --out"), e.getMessage());
	}
}
