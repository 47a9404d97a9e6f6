package org.lumina.mgpt.plugin.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.plugin.convert.ConvertOptions;
import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.plugin.convert.InputConverter;
import org.lumina.mgpt.plugin.core.TaskRequest;
import org.lumina.mgpt.plugin.core.TaskResult;
import org.lumina.mgpt.plugin.core.TaskRunner;
import org.lumina.mgpt.plugin.display.ProvenanceWriter;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.task.Task;

/**
 * A {@link BatchTask} that runs one task of the catalog through {@link TaskRunner} with fixed
 * settings. The result image carries the provenance; a text answer has none of its own, so its
 * TIFF is a copy of the input with the provenance (and the text goes to the {@code .txt}).
 */
public final class TaskBatch implements BatchTask {

	private final Model model;
	private final Task task;
	private final Map<String, String> fields;
	private final ConvertOptions convert;
	private final GenerationParams params;
	private final ImageSize size;
	private final long seed;

	/**
	 * @param model the opened model (not closed here)
	 * @param task the task to run
	 * @param fields the prompt template's fields
	 * @param convert how inputs become model input
	 * @param params the sampling settings, or {@code null} for the runner's defaults (the bundle's
	 *          for the task's family); the seed and the forced size in it are replaced
	 * @param size text to image: the image size, or {@code null} for the square candidate closest
	 *          to the model's target size; else {@code null}
	 * @param seed the sampler seed
	 * @throws IllegalArgumentException when a field the prompt needs is missing
	 */
	public TaskBatch(final Model model, final Task task, final Map<String, String> fields, final ConvertOptions convert,
		final GenerationParams params, final ImageSize size, final long seed)
	{
		this.model = model;
		this.task = task;
		this.convert = convert;
		this.params = params;
		this.seed = seed;
		final Map<String, String> all = new LinkedHashMap<>(fields);
		if (task.inputs() == 0) {
			// NB: the runner fills the size into the prompt the same way
			this.size = size != null ? size : model.candidateSizes().closest(model.manifest().targetSize(), model
				.manifest().targetSize());
			all.put("width", Integer.toString(this.size.width()));
			all.put("height", Integer.toString(this.size.height()));
		}
		else {
			this.size = size;
		}
		this.fields = Map.copyOf(all);
		task.prompt(this.fields); // NB: fails now, naming the missing field, rather than once per input
	}

	// -- BatchTask methods --

	@Override
	public String id() {
		return task.id();
	}

	@Override
	public Map<String, String> identity(final ImagePlus input) {
		final Map<String, String> p = new LinkedHashMap<>();
		// NB: the same keys and number formats as the runner's provenance (RunProvenance)
		p.put("model_sha256", model.manifest().files().decoder().sha256());
		p.put("task", task.id());
		p.put("prompt", task.prompt(fields));
		p.put("seed", Long.toString(seed));
		final GenerationParams used = params != null ? params : defaults();
		p.put("cfg", Double.toString(used.cfg()));
		p.put("image_top_k", Integer.toString(used.imageTopK()));
		p.put("text_top_k", Integer.toString(used.textTopK()));
		p.put("temperature", Double.toString(used.temperature()));
		p.put("top_p", Double.toString(used.topP()));
		// NB: the default budget depends on each plane's model size, so it is compared only when given
		if (params != null) p.put("max_new_tokens", Integer.toString(params.maxNewTokens()));
		if (input != null) {
			List<ConvertedPlane> planes = InputConverter.convert(input, convert);
			if (!task.imageAnswer()) planes = planes.subList(0, 1); // NB: text answers read the first plane only
			p.put("preprocess", planes.stream().map(ConvertedPlane::preprocess).distinct().collect(Collectors.joining(" | ")));
		}
		return p;
	}

	@Override
	public BatchOutput run(final ImagePlus input, final BatchListener progress, final BooleanSupplier cancelled) {
		final TaskRequest request = new TaskRequest(task, input, fields, convert, params, size, false,
			TaskRequest.DEFAULT_OPACITY, seed);
		final TaskResult result = new TaskRunner(model).run(request, progress::onProgress, cancelled,
			TokenListener.NONE);
		final ImagePlus image = result.images().isEmpty() ? annotatedCopy(input, result) : result.images().get(0);
		for (final String notice : result.notices()) progress.onNote(task.id() + ": " + notice);
		// NB: text beside an answer image is the model's stray output, not a result
		return new BatchOutput(image, result.table(), task.imageAnswer() ? null : result.text());
	}

	// -- Helper methods --

	/** @return the runner's default settings for the task's family (its budget aside) */
	private GenerationParams defaults() {
		final SamplingDefaults d = model.manifest().sampling(task.family());
		return GenerationParams.defaults().withCfg(d.cfg()).withImageTopK(d.imageTopK()).withTextTopK(d.textTopK())
			.withTemperature(d.temperature());
	}

	/** @return the input with the result's ROIs as overlay and its provenance as Info */
	private static ImagePlus annotatedCopy(final ImagePlus input, final TaskResult result) {
		final ImagePlus copy = input.duplicate();
		copy.setTitle(input.getTitle());
		final Overlay overlay = copy.getOverlay() == null ? new Overlay() : copy.getOverlay();
		for (final Roi roi : result.rois()) overlay.add((Roi) roi.clone());
		copy.setOverlay(overlay.size() == 0 ? null : overlay);
		ProvenanceWriter.write(copy, result.provenance());
		return copy;
	}
}
