package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.OutputConventions;
import org.lumina.mgpt.runtime.task.TaskCatalog;

class OutputReadersTest {

	private final OutputConventions tiny = ManifestReader.read(Path.of("models", "tiny-random")).outputs();
	private final TaskCatalog tasks = TaskCatalog.standard();

	/** {@link OutputReaders#forTask}: the tiny bundle's conventions pick each reader. */
	@Test
	void knownConventions() {
		assertInstanceOf(DepthReader.class, OutputReaders.forTask(tasks.get("depth"), tiny).orElseThrow());
		assertInstanceOf(NormalsReader.class, OutputReaders.forTask(tasks.get("normals"), tiny).orElseThrow());
		assertInstanceOf(SegmentationReader.class, OutputReaders.forTask(tasks.get("segmentation"), tiny).orElseThrow());
		assertInstanceOf(BoxReader.class, OutputReaders.forTask(tasks.get("detect"), tiny).orElseThrow());
	}

	/** {@link OutputReaders#forTask}: a keypoint convention for pose picks the keypoint reader. */
	@Test
	void keypointConvention() {
		final OutputConventions pose = new OutputConventions(Map.of("pose", AnswerImages.json("{'encoding': 'keypoints', " +
			"'colour_radius': 60, 'keypoints': [{'name': 'head', 'rgb': [255, 0, 0]}]}")));
		assertInstanceOf(KeypointReader.class, OutputReaders.forTask(tasks.get("pose"), pose).orElseThrow());
		assertFalse(OutputReaders.isUnread(tasks.get("pose"), pose));
	}

	/** {@link OutputReaders#forTask}: "unknown" and pictures get no reader; only unknown is "unread". */
	@Test
	void unknownAndPictures() {
		assertTrue(OutputReaders.forTask(tasks.get("pose"), tiny).isEmpty());
		assertTrue(OutputReaders.isUnread(tasks.get("pose"), tiny));
		assertTrue(OutputReaders.forTask(tasks.get("t2i"), tiny).isEmpty());
		assertFalse(OutputReaders.isUnread(tasks.get("t2i"), tiny));
		assertFalse(OutputReaders.isUnread(tasks.get("describe"), tiny));
		assertTrue(OutputReaders.isUnread(tasks.get("depth"), OutputConventions.none()));
	}
}
