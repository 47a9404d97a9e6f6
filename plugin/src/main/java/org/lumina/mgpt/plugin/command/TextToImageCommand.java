package org.lumina.mgpt.plugin.command;

import java.util.ArrayList;
import java.util.List;

import org.lumina.mgpt.plugin.core.TaskRequest;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.task.Task;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; Lumina-mGPT &gt; Text to Image: a new image of {@code size} from a caption. The
 * sizes are the model's candidates (WxH); {@code auto} = the square closest to its target size.
 */
@Plugin(type = Command.class)
public class TextToImageCommand extends AbstractTaskCommand implements DialogHints {

	/** The {@code size} that picks the model's square size. */
	public static final String AUTO = "auto";

	@Parameter(label = "caption", persist = false, description = "What the image shows")
	private String caption = "";

	@Parameter(label = "size", required = false, persist = false,
		description = "Image size WxH, one of the model's candidate sizes; auto = the model's square size")
	private String size = AUTO;

	@Override
	protected String taskId() {
		return "t2i";
	}

	@Override
	protected TaskRequest request(final Task task, final Model model) {
		final ImageSize chosen = size == null || size.isBlank() || AUTO.equals(size) ? null : checked(ImageSize.parse(size), model
			.candidateSizes());
		return new TaskRequest(task, null, fields("caption", caption), null, sampling().resolve(model.manifest(), task,
			chosen), chosen, false, TaskRequest.DEFAULT_OPACITY, seed);
	}

	// -- DialogHints methods --

	@Override
	public List<String> choices(final String field, final Context context) {
		if (!"size".equals(field)) return List.of();
		final List<String> sizes = new ArrayList<>();
		try {
			final var bundle = context.service(LuminaModelService.class).resolveBundle(null, TaskFamily.TEXT_TO_IMAGE);
			sizes.add(AUTO);
			for (final ImageSize s : CandidateSizes.forTargetSize(ManifestReader.read(bundle).targetSize()).sizes()) {
				sizes.add(s.toString());
			}
		}
		catch (final RuntimeException e) {
			return List.of(); // NB: no readable default model: a free text field instead
		}
		return sizes;
	}

	// -- Helper methods --

	private static ImageSize checked(final ImageSize size, final CandidateSizes candidates) {
		if (!candidates.contains(size)) {
			throw new IllegalArgumentException("size must be one of the model's sizes " + candidates.sizes() + ", got " + size);
		}
		return size;
	}
}
