package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.runtime.task.read.BoxReader;
import org.lumina.mgpt.runtime.task.read.DepthReader;
import org.lumina.mgpt.runtime.task.read.KeypointReader;
import org.lumina.mgpt.runtime.task.read.NormalsReader;
import org.lumina.mgpt.runtime.task.read.SegmentationReader;

/**
 * What the held-out scenes are made of and how their truth images are encoded, as
 * {@code model-runtime/training/synthetic.py} draws them (the {@code synthetic-scenes.json}
 * resource next to this class): the object colours, the shapes, and readers for the truth
 * depth, normals, segmentation, box and keypoint images. NB: the truth is read with these conventions,
 * never with the scored bundle's manifest, so that a bundle with a wrong convention scores badly
 * instead of agreeing with itself. Immutable and thread-safe.
 */
public final class SyntheticScenes {

	private static final SyntheticScenes STANDARD = load();

	private final Map<String, int[]> colours;
	private final List<String> shapes;
	private final DepthReader depth;
	private final NormalsReader normals;
	private final SegmentationReader segmentation;
	private final BoxReader boxes;
	private final KeypointReader keypoints;

	private SyntheticScenes(final JsonNode doc) {
		final Map<String, int[]> named = new LinkedHashMap<>();
		for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("colours").fields(); it.hasNext();) {
			final Map.Entry<String, JsonNode> e = it.next();
			named.put(e.getKey(), new int[] { e.getValue().get(0).asInt(), e.getValue().get(1).asInt(), e.getValue().get(2)
				.asInt() });
		}
		colours = named;
		final List<String> names = new ArrayList<>();
		doc.path("shapes").forEach(s -> names.add(s.asText()));
		shapes = List.copyOf(names);
		final JsonNode truth = doc.path("truth");
		depth = new DepthReader(truth.get("depth"));
		normals = new NormalsReader(truth.get("normals"));
		segmentation = new SegmentationReader(truth.get("segmentation"));
		boxes = new BoxReader(truth.get("detect"));
		keypoints = new KeypointReader(truth.get("pose"));
	}

	/** @return the conventions of the committed held-out scenes */
	public static SyntheticScenes standard() {
		return STANDARD;
	}

	/** @return the object colour names, in the generator's order */
	public List<String> colourNames() {
		return List.copyOf(colours.keySet());
	}

	/** @return the nominal {@code [r, g, b]} of a colour (before shading); a new array */
	public int[] rgb(final String colour) {
		final int[] rgb = colours.get(colour);
		if (rgb == null) throw new IllegalArgumentException("unknown scene colour '" + colour + "'; colours are " + colours.keySet());
		return rgb.clone();
	}

	/** @return the shape names ({@code disc}, {@code square}, {@code triangle}, {@code ring}) */
	public List<String> shapes() {
		return shapes;
	}

	/** @return the reader of truth depth images (near = bright) */
	public DepthReader depthReader() {
		return depth;
	}

	/** @return the reader of truth normal images (x right, y up, z toward the viewer) */
	public NormalsReader normalsReader() {
		return normals;
	}

	/** @return the reader of truth segmentation images (the generator's palette) */
	public SegmentationReader segmentationReader() {
		return segmentation;
	}

	/** @return the reader of truth detect images (magenta outline) */
	public BoxReader boxReader() {
		return boxes;
	}

	/** @return the reader of truth keypoint maps (a disc of its own colour per keypoint on black) */
	public KeypointReader keypointReader() {
		return keypoints;
	}

	private static SyntheticScenes load() {
		try (InputStream in = SyntheticScenes.class.getResourceAsStream("synthetic-scenes.json")) {
			if (in == null) throw new IllegalStateException("synthetic-scenes.json is missing from the plugin jar");
			return new SyntheticScenes(new ObjectMapper().readTree(in));
		}
		catch (final IOException e) {
			throw new UncheckedIOException("cannot read synthetic-scenes.json", e);
		}
	}
}
