package org.lumina.mgpt.runtime.bundle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How each task's answer image is read back into numbers ({@code outputs} in the manifest):
 * depth polarity and scale, normal axes, segmentation palette, box colour. A task whose entry
 * is missing or the string {@code "unknown"} has no verified convention, and readers must not
 * invent one.
 * <p>
 * Immutable: the JSON of each task is copied on construction and on every read.
 */
public final class OutputConventions {

	/** The manifest value for a task without a verified convention. */
	public static final String UNKNOWN = "unknown";

	private final Map<String, JsonNode> byTask;

	/**
	 * @param byTask each task's JSON object, e.g. {@code depth -> {"encoding": "grayscale", ...}};
	 *          tasks mapped to {@code "unknown"} (or not mapped) are unknown
	 */
	public OutputConventions(final Map<String, JsonNode> byTask) {
		final Map<String, JsonNode> copy = new LinkedHashMap<>();
		byTask.forEach((task, node) -> {
			if (node != null && node.isObject()) copy.put(task, node.deepCopy());
		});
		this.byTask = Collections.unmodifiableMap(copy);
	}

	/** @return conventions where every task is unknown */
	public static OutputConventions none() {
		return new OutputConventions(Map.of());
	}

	/** @return whether {@code task} (e.g. {@code depth}) has no verified convention */
	public boolean isUnknown(final String task) {
		return !byTask.containsKey(task);
	}

	/** @return a copy of the task's JSON object, or empty when the task is unknown */
	public Optional<JsonNode> convention(final String task) {
		final JsonNode node = byTask.get(task);
		return node == null ? Optional.empty() : Optional.of(node.deepCopy());
	}

	/** @return the tasks that have a known convention */
	public Set<String> knownTasks() {
		return byTask.keySet();
	}

	@Override
	public String toString() {
		return "OutputConventions" + byTask.keySet();
	}
}
