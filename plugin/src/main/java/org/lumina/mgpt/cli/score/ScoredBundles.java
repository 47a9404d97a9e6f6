package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.OutputReaders;

/**
 * Which bundle scores which task. A folder is one bundle when it holds {@code lumina-model.json},
 * else every bundle beneath it counts (a few levels down, in path order). A bundle covers a task
 * when the manifest lets its answer be read ({@code outputs} has a convention for image tasks
 * read into numbers; text to image and captions need none) and, for a bundle in a folder named
 * after a task family ({@code text_to_image}, {@code image_to_image}, {@code text}: one bundle
 * per family), when the task belongs to that family. Each task is scored by the first bundle that
 * covers it.
 */
public final class ScoredBundles {

	/** Every task the scorer knows, in the order it scores them. */
	public static final List<String> TASKS = List.of("segmentation", "depth", "normals", "detect", "t2i", "describe");

	private static final String MANIFEST = "lumina-model.json";
	private static final int DEPTH = 3;

	private ScoredBundles() {}

	/**
	 * @return {@code dir} when it is a bundle, else the bundles beneath it, in path order
	 * @throws IllegalArgumentException when there is none
	 */
	public static List<Path> find(final Path dir) throws IOException {
		if (Files.isRegularFile(dir.resolve(MANIFEST))) return List.of(dir);
		if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist; pass " +
			"--model with a bundle folder or a folder of bundles");
		final List<Path> bundles = new ArrayList<>();
		try (Stream<Path> files = Files.walk(dir, DEPTH + 1)) {
			files.filter(p -> p.getFileName().toString().equals(MANIFEST)).map(Path::getParent).sorted().forEach(
				bundles::add);
		}
		if (bundles.isEmpty()) {
			throw new IllegalArgumentException("no model bundle in " + dir + " (no " + MANIFEST + " in it or up to " + DEPTH +
				" folders below); pass --model with a bundle folder");
		}
		return bundles;
	}

	/** @return the tasks of {@code wanted} that the bundle of {@code manifest} covers, in {@link #TASKS} order */
	public static Set<String> covered(final ModelManifest manifest, final Set<String> wanted) {
		final TaskFamily family = familyOfFolder(manifest.directory());
		final Set<String> covered = new LinkedHashSet<>();
		for (final String id : TASKS) {
			final Task task = TaskCatalog.standard().get(id);
			if (!wanted.contains(id) || family != null && task.family() != family) continue;
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

	private static TaskFamily familyOfFolder(final Path dir) {
		final String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
		for (final TaskFamily family : TaskFamily.values()) {
			if (family.key().equalsIgnoreCase(name)) return family;
		}
		return null;
	}
}
