package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.task.read.Keypoint;

/**
 * The held-out scenes of a folder ({@code index.json} + {@code sceneNNN.json} + truth PNGs, as
 * {@code synthetic.py write_heldout} writes them), in index order.
 */
public final class HeldoutSet {

	/** The index file of a held-out folder. */
	public static final String INDEX = "index.json";
	/** The name of a held-out folder beside (or inside) a bundle. */
	public static final String FOLDER = "heldout";

	private HeldoutSet() {}

	/**
	 * Finds the held-out scenes of a bundle folder: its own {@code heldout/}, else that of the
	 * folder above (bundles per task family share one), else {@code fallback}.
	 *
	 * @return the folder holding {@code index.json}, or empty when none of these does
	 */
	public static Optional<Path> locate(final Path modelDir, final Path fallback) {
		final Path dir = modelDir.toAbsolutePath().normalize();
		for (final Path candidate : new Path[] { dir.resolve(FOLDER), dir.getParent() == null ? null : dir.getParent()
			.resolve(FOLDER), fallback })
		{
			if (candidate != null && Files.isRegularFile(candidate.resolve(INDEX))) return Optional.of(candidate);
		}
		return Optional.empty();
	}

	/**
	 * @return every scene of {@code dir}, in index order
	 * @throws IllegalArgumentException naming the file when the index or a scene is missing or malformed
	 */
	public static List<HeldoutScene> read(final Path dir) throws IOException {
		final ObjectMapper json = new ObjectMapper();
		final Path index = dir.resolve(INDEX);
		if (!Files.isRegularFile(index)) {
			throw new IllegalArgumentException("no held-out scenes in " + dir + " (" + INDEX + " is missing); pass --heldout " +
				"with a folder written by model-runtime/training/synthetic.py");
		}
		final List<HeldoutScene> scenes = new ArrayList<>();
		for (final JsonNode entry : json.readTree(index.toFile()).path("scenes")) {
			final Path file = dir.resolve(entry.path("stem").asText() + ".json");
			try {
				scenes.add(scene(dir, entry.path("stem").asText(), json.readTree(file.toFile())));
			}
			catch (final RuntimeException e) {
				throw new IllegalArgumentException("held-out scene " + file + " is malformed (" + e.getMessage() + ")", e);
			}
		}
		return scenes;
	}

	private static HeldoutScene scene(final Path dir, final String stem, final JsonNode s) {
		final List<HeldoutScene.SceneObject> objects = new ArrayList<>();
		for (int i = 0; i < s.path("objects").size(); i++) {
			final JsonNode o = s.path("objects").get(i);
			final JsonNode box = s.path("boxes").get(i);
			objects.add(new HeldoutScene.SceneObject(o.get("shape").asText(), o.get("colour").asText(), o.get("cx").asDouble(), o
				.get("cy").asDouble(), new PixelBox(box.get(0).asInt(), box.get(1).asInt(), box.get(2).asInt(), box.get(3)
					.asInt())));
		}
		final Map<String, String> files = new LinkedHashMap<>();
		for (final Iterator<Map.Entry<String, JsonNode>> it = s.path("files").fields(); it.hasNext();) {
			final Map.Entry<String, JsonNode> e = it.next();
			files.put(e.getKey(), e.getValue().asText());
		}
		return new HeldoutScene(dir, stem, new ImageSize(required(s, "width").asInt(), required(s, "height").asInt()),
			objects, required(s, "target").asInt(), required(s, "caption").asText(), required(s, "detect_phrase").asText(),
			required(s, "condition_input").asText(), required(s, "edit_instruction").asText(), required(s, "edit_colour")
				.asText(), figure(required(s, "pose")), files);
	}

	/**
	 * @throws IllegalArgumentException naming {@code key} and the fix when the scene lacks it: a set
	 *           written by synthetic.py before that truth existed
	 */
	private static JsonNode required(final JsonNode scene, final String key) {
		final JsonNode value = scene.get(key);
		if (value == null || value.isNull()) {
			throw new IllegalArgumentException("it has no '" + key + "'; a set written before that truth existed: write it " +
				"again with python3 model-runtime/training/synthetic.py --out DIR");
		}
		return value;
	}

	private static HeldoutScene.Figure figure(final JsonNode pose) {
		final List<Keypoint> keypoints = new ArrayList<>();
		for (final Iterator<Map.Entry<String, JsonNode>> it = pose.get("keypoints").fields(); it.hasNext();) {
			final Map.Entry<String, JsonNode> e = it.next();
			keypoints.add(new Keypoint(e.getKey(), e.getValue().get(0).asDouble(), e.getValue().get(1).asDouble()));
		}
		return new HeldoutScene.Figure(pose.get("height").asDouble(), pose.get("colour").asText(), keypoints);
	}
}
