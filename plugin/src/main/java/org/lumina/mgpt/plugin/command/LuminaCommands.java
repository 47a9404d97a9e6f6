package org.lumina.mgpt.plugin.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.scijava.command.Command;

/**
 * The commands under Plugins &gt; Lumina-mGPT, by the id their {@code plugins.config} entry
 * passes to the ImageJ 1 bridge. Task commands use their task id and the task's label from
 * {@link TaskCatalog}.
 */
public final class LuminaCommands {

	/**
	 * One menu entry.
	 *
	 * @param id the bridge argument in {@code plugins.config}
	 * @param label the menu label (also the macro command name)
	 * @param command the SciJava command
	 */
	public record Entry(String id, String label, Class<? extends Command> command) {}

	private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

	static {
		task("t2i", TextToImageCommand.class);
		task("depth", DepthEstimationCommand.class);
		task("normals", SurfaceNormalsCommand.class);
		task("segmentation", SemanticSegmentationCommand.class);
		task("pose", PoseEstimationCommand.class);
		task("detect", DetectObjectCommand.class);
		task("condition", ImageFromConditionCommand.class);
		task("edit", EditImageCommand.class);
		task("describe", DescribeImageCommand.class);
		task("ask", AskAboutImageCommand.class);
		add(new Entry("batch", "Batch Process Folder", BatchProcessFolderCommand.class));
		add(new Entry("settings", "Settings", SettingsCommand.class));
		add(new Entry("models", "Model Manager", ModelManagerCommand.class));
		add(new Entry("release", "Release Model", ReleaseModelCommand.class));
	}

	private LuminaCommands() {}

	/** @return every entry, in menu order */
	public static List<Entry> all() {
		return new ArrayList<>(ENTRIES.values());
	}

	/** @throws IllegalArgumentException naming the known ids when {@code id} is not one */
	public static Entry get(final String id) {
		final Entry entry = ENTRIES.get(id == null ? "" : id.trim());
		if (entry == null) throw new IllegalArgumentException("unknown Lumina-mGPT command '" + id + "'; known: " +
			ENTRIES.keySet());
		return entry;
	}

	// -- Helper methods --

	private static void task(final String id, final Class<? extends Command> command) {
		add(new Entry(id, TaskCatalog.standard().get(id).label(), command));
	}

	private static void add(final Entry entry) {
		ENTRIES.put(entry.id(), entry);
	}
}
