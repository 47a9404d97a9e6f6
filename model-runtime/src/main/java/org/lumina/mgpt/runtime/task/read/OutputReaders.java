package org.lumina.mgpt.runtime.task.read;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.lumina.mgpt.runtime.bundle.OutputConventions;
import org.lumina.mgpt.runtime.task.Task;

/**
 * Picks the reader of a task's answer image from the manifest's {@code outputs}, by the task's
 * {@link Task#output() output} key. Stateless and thread-safe.
 */
public final class OutputReaders {

	private OutputReaders() {}

	/**
	 * @param task the task whose answer is read
	 * @param conventions the bundle manifest's {@code outputs}
	 * @return the reader; empty when the task's answer is a picture ({@code image}) or text, or
	 *         when the manifest says its convention is {@code "unknown"} (check
	 *         {@link OutputConventions#isUnknown} to tell these apart): never an invented one
	 * @throws IllegalArgumentException naming the key when the manifest's convention for the
	 *           task is malformed, or its {@code encoding} is one no reader knows
	 */
	public static Optional<OutputReader> forTask(final Task task, final OutputConventions conventions) {
		final Optional<JsonNode> convention = conventions.convention(task.output());
		if (convention.isEmpty()) return Optional.empty();
		final JsonNode c = convention.get();
		switch (task.output()) {
			case "depth":
				return Optional.of(new DepthReader(c));
			case "normals":
				return Optional.of(new NormalsReader(c));
			case "segmentation":
				return Optional.of(new SegmentationReader(c));
			case "detect":
				return Optional.of(new BoxReader(c));
			case "pose":
				return Optional.of(new KeypointReader(c));
			default:
				return Optional.empty();
		}
	}

	/**
	 * @return whether {@code task}'s answer image should be read into numbers but the manifest
	 *         has no verified convention for it (show the picture with a notice instead)
	 */
	public static boolean isUnread(final Task task, final OutputConventions conventions) {
		return task.imageAnswer() && !"image".equals(task.output()) && !"text".equals(task.output()) &&
			(conventions.isUnknown(task.output()) || forTask(task, conventions).isEmpty());
	}
}
