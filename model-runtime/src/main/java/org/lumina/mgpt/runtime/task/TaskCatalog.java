package org.lumina.mgpt.runtime.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.runtime.bundle.TaskFamily;

/**
 * Every task the product offers, read from the {@code tasks.json} resource next to this class:
 * the single source of prompt strings, shared with the training-data generator so that
 * training and inference build the same tokens. Immutable and thread-safe.
 */
public final class TaskCatalog {

	private static final String RESOURCE = "tasks.json";
	private static final TaskCatalog STANDARD = load();

	private final Map<String, Task> tasks;
	private final List<String> order; // ids as tasks.json lists them

	private TaskCatalog(final Map<String, Task> tasks) {
		this.tasks = Map.copyOf(tasks);
		this.order = List.copyOf(tasks.keySet());
	}

	/** @return the product's tasks */
	public static TaskCatalog standard() {
		return STANDARD;
	}

	/** @return every task, in the order of {@code tasks.json} */
	public List<Task> all() {
		final List<Task> all = new ArrayList<>();
		for (final String id : order) all.add(tasks.get(id));
		return all;
	}

	/**
	 * @throws IllegalArgumentException naming the known task ids when {@code id} is not one
	 */
	public Task get(final String id) {
		final Task task = tasks.get(id);
		if (task == null) throw new IllegalArgumentException("unknown task '" + id + "'; tasks are " + order);
		return task;
	}

	// -- Helper methods --

	private static TaskCatalog load() {
		try (InputStream in = TaskCatalog.class.getResourceAsStream(RESOURCE)) {
			if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the runtime jar");
			final Map<String, Task> tasks = new LinkedHashMap<>();
			for (final JsonNode t : new ObjectMapper().readTree(in).path("tasks")) {
				final Task task = new Task(t.path("id").asText(), t.path("label").asText(), family(t.path("family")
					.asText()), t.path("inputs").asInt(), "image".equals(t.path("answer").asText()), t.path("output")
						.asText(), t.path("template").asText());
				tasks.put(task.id(), task);
			}
			return new TaskCatalog(tasks);
		}
		catch (final IOException e) {
			throw new UncheckedIOException("cannot read " + RESOURCE, e);
		}
	}

	private static TaskFamily family(final String key) {
		for (final TaskFamily family : TaskFamily.values()) {
			if (family.key().equals(key)) return family;
		}
		throw new IllegalStateException(RESOURCE + " names an unknown sampling family '" + key + "'");
	}
}
