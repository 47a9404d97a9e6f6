package org.lumina.mgpt.plugin.core;

import java.util.Map;

import ij.ImagePlus;

import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.task.Task;

/**
 * One task to run on one image (or none, for text to image). Immutable; validated on
 * construction.
 *
 * @param task the task, from {@link org.lumina.mgpt.runtime.task.TaskCatalog}
 * @param input the input image, never modified except for the overlay layer asked for (and the
 *          {@code lumina.conversation} property of {@code ask}); {@code null} for text to image
 * @param fields the prompt template's fields ({@code caption}, {@code object}, {@code question},
 *          …) plus runner options: {@code new_conversation=false} makes {@code ask} continue the
 *          conversation stored on the input
 * @param convert how the input becomes model input ({@code null} = {@link ConvertOptions#defaults()})
 * @param params sampling settings, or {@code null} for the bundle's defaults of
 *          {@code task.family()} with {@code maxNewTokens} = the forced image's tokens + 64 (image
 *          answers) or the family's text budget (text answers). Given params are used as they
 *          are except that {@code seed} and, for image answers, the forced size are set by the
 *          runner
 * @param size text to image: a candidate size of the model, or {@code null} for the square
 *          candidate closest to the model's target size; must be {@code null} for other tasks
 * @param addOverlay whether to add a semi-transparent layer, named after the task, to the input's
 *          overlay, and the boxes of a detection as named rectangles above it
 * @param overlayOpacity the layer's opacity in [0, 1]
 * @param seed the sampler seed (the same seed, model and input give the same result)
 */
public record TaskRequest(Task task, ImagePlus input, Map<String, String> fields, ConvertOptions convert,
	GenerationParams params, ImageSize size, boolean addOverlay, double overlayOpacity, long seed)
{

	/** Default opacity of the overlay layer. */
	public static final double DEFAULT_OPACITY = 0.5;

	/** @throws IllegalArgumentException naming the parameter, its range and the value received */
	public TaskRequest {
		if (task == null) throw new IllegalArgumentException("task must be given (see TaskCatalog.standard())");
		final Map<String, String> kept = new java.util.LinkedHashMap<>();
		if (fields != null) fields.forEach((key, value) -> {
			if (key != null && value != null) kept.put(key, value);
		});
		fields = java.util.Collections.unmodifiableMap(kept);
		if (convert == null) convert = ConvertOptions.defaults();
		if (!(overlayOpacity >= 0 && overlayOpacity <= 1)) {
			throw new IllegalArgumentException("overlayOpacity must be in [0, 1], got " + overlayOpacity);
		}
		if (task.inputs() == 0 && input != null) {
			throw new IllegalArgumentException("task " + task.id() + " takes no input image; pass null");
		}
		if (task.inputs() > 0 && input == null) {
			throw new IllegalArgumentException("task " + task.id() + " needs an input image");
		}
		if (size != null && task.inputs() > 0) {
			throw new IllegalArgumentException("size is only for text to image; task " + task.id() +
				" answers in the input's size");
		}
	}

	/** @return a request with default conversion, bundle sampling defaults, no size, no overlay, seed 0 */
	public static TaskRequest of(final Task task, final ImagePlus input, final Map<String, String> fields) {
		return new TaskRequest(task, input, fields, null, null, null, false, DEFAULT_OPACITY, 0L);
	}
}
