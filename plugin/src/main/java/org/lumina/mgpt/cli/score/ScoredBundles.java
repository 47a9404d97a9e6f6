package org.lumina.mgpt.cli.score;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.OutputReaders;

/**
 * Which bundle scores which task. A bundle covers a task when its model was trained for the
 * task's family (the manifest's {@code families}; every family when absent) and the manifest
 * lets its answer be read ({@code outputs} has a convention for image tasks read into numbers;
 * text to image and captions need none). Each task is scored by the first bundle that covers it.
 */
public final class ScoredBundles {

	/** Every task the scorer knows, in the order it scores them. */
	public static final List<String> TASKS = List.of("segmentation", "depth", "normals", "pose", "detect", "condition",
		"edit", "t2i", "describe");

	private ScoredBundles() {}

	/** @return the tasks of {@code wanted} that the bundle of {@code manifest} covers, in {@link #TASKS} order */
	public static Set<String> covered(final ModelManifest manifest, final Set<String> wanted) {
		final Set<String> covered = new LinkedHashSet<>();
		for (final String id : TASKS) {
			final Task task = TaskCatalog.standard().get(id);
			if (!wanted.contains(id) || !manifest.covers(task.family())) continue;
			final boolean readable = !task.imageAnswer() || "image".equals(task.output()) || OutputReaders.forTask(task,
				manifest.outputs()).isPresent();
			if (readable) covered.add(id);
		}
		return covered;
	}

	/**
	 * @param manifests the bundles' manifests, in scoring order
	 * @return for each bundle, the wanted tasks it scores: those it covers that no earlier one does
	 */
	public static Map<ModelManifest, Set<String>> assign(final List<ModelManifest> manifests, final Set<String> wanted) {
		final Map<ModelManifest, Set<String>> plan = new LinkedHashMap<>();
		final Set<String> left = new LinkedHashSet<>(wanted);
		for (final ModelManifest manifest : manifests) {
			final Set<String> tasks = covered(manifest, left);
			left.removeAll(tasks);
			plan.put(manifest, tasks);
		}
		return plan;
	}

	/**
	 * @return the wanted task ids from a comma-separated list, or all of {@link #TASKS} for {@code null}
	 * @throws IllegalArgumentException naming the known tasks when one is not among them
	 */
	public static Set<String> parseTasks(final String list) {
		if (list == null || list.isBlank()) return new LinkedHashSet<>(TASKS);
		final Set<String> tasks = new LinkedHashSet<>();
		for (final String id : list.split(",")) {
			final String t = id.trim().toLowerCase(Locale.ROOT);
			if (!TASKS.contains(t)) throw new IllegalArgumentException("--tasks: '" + id.trim() + "' is not a scored task; " +
				"use some of " + String.join(",", TASKS));
			tasks.add(t);
		}
		return tasks;
	}
}
