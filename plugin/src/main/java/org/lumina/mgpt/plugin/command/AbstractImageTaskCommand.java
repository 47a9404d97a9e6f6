package org.lumina.mgpt.plugin.command;

import java.util.Map;

import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.plugin.core.TaskRequest;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.task.Task;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;

/**
 * A task command on an input image: which planes and channels go in, how 16/32-bit data is
 * normalised, and the overlay layer added to the input.
 */
public abstract class AbstractImageTaskCommand extends AbstractTaskCommand {

	@Parameter(label = "image", persist = false, description = "The input image (the current image in ImageJ)")
	protected ImagePlus image;

	@Parameter(label = "all_planes", persist = false,
		description = "Run on every Z plane (or time point) of the current channel instead of the current plane only")
	protected boolean all_planes = false;

	@Parameter(label = "rgb_channels", required = false, persist = false,
		description = "Source channels for R,G,B, e.g. 1,2,3 (0 = black); empty = automatic")
	protected String rgb_channels = "";

	@Parameter(label = "selection_only", persist = false,
		description = "Restrict the input to the rectangular selection, when there is one")
	protected boolean selection_only = true;

	@Parameter(label = "low_percentile", min = "0", max = "100", persist = false,
		description = "Percentile mapped to black when normalising 16/32-bit data")
	protected double low_percentile = ConvertOptions.DEFAULT_LOW;

	@Parameter(label = "high_percentile", min = "0", max = "100", persist = false,
		description = "Percentile mapped to white when normalising 16/32-bit data")
	protected double high_percentile = ConvertOptions.DEFAULT_HIGH;

	@Parameter(label = "add_overlay", persist = false,
		description = "Add the answer as a semi-transparent overlay layer on the input image")
	protected boolean add_overlay = true;

	@Parameter(label = "overlay_opacity", min = "0", max = "1", persist = false,
		description = "Opacity of the overlay layer, 0..1")
	protected double overlay_opacity = TaskRequest.DEFAULT_OPACITY;

	/** @return the prompt fields of the task ({@code object}, {@code caption}, …); none by default */
	protected Map<String, String> promptFields() {
		return Map.of();
	}

	@Override
	protected TaskRequest request(final Task task, final Model model) {
		final ConvertOptions convert = new ConvertOptions(all_planes, RgbChannels.parse(rgb_channels), selection_only,
			low_percentile, high_percentile);
		return new TaskRequest(task, image, promptFields(), convert, sampling().resolve(model.manifest(), task, null),
			null, add_overlay, overlay_opacity, seed);
	}
}
