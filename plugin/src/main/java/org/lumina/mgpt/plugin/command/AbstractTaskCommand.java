package org.lumina.mgpt.plugin.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.lumina.mgpt.plugin.core.LivePreview;
import org.lumina.mgpt.plugin.display.PreviewWindow;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.plugin.core.TaskRequest;
import org.lumina.mgpt.plugin.core.TaskResult;
import org.lumina.mgpt.plugin.core.TaskRunner;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.scijava.Cancelable;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;

/**
 * What every Lumina-mGPT task command shares: the model folder, the seed, the sampling settings
 * ("advanced"; -1 = the model's default for the task), cancellation, progress, and the outputs.
 * A subclass names its task and builds its request. Nothing here needs a display.
 */
public abstract class AbstractTaskCommand implements Command, Cancelable {

	@Parameter
	protected LuminaModelService models;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(label = "model_dir", style = "directory", required = false, persist = false,
		description = "Model bundle folder, or a folder of bundles (the one trained for the task's family runs it); " +
			"empty = the Settings default, else the bundled demo model")
	protected File model_dir;

	@Parameter(label = "seed", persist = false, description = "Sampler seed: the same seed, model and input give the same result")
	protected long seed = 0;

	@Parameter(label = "cfg", min = "-1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Classifier-free guidance scale (1 = off; -1 = the model's default)")
	protected double cfg = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "image_top_k", min = "-1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Top-k inside images (-1 = the model's default)")
	protected int image_top_k = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "text_top_k", min = "-1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Top-k in text (-1 = the model's default)")
	protected int text_top_k = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "temperature", min = "-1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Sampling temperature (0 = greedy; -1 = the model's default)")
	protected double temperature = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "top_p", min = "-1", max = "1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Nucleus mass in (0, 1] (1 = off; -1 = the model's default, off)")
	protected double top_p = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "max_tokens", min = "-1", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Limit on new tokens (-1 = enough for the answer image, or the model's text budget)")
	protected int max_tokens = SamplingSettings.USE_DEFAULT;

	@Parameter(label = "jacobi_window", min = "0", persist = false, attrs = @Attr(name = "group", value = "advanced"),
		description = "Draft tokens checked per decoder step inside images (speculative Jacobi decoding: the same " +
			"distribution in fewer steps; 0 = off, 16 = the setting of its paper)")
	protected int jacobi_window = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "result")
	protected ImagePlus result;

	@Parameter(type = ItemIO.OUTPUT, label = "table")
	protected ResultsTable table;

	private volatile String cancelReason;

	/** @return the task id in {@link TaskCatalog} ({@code depth}, {@code t2i}, …) */
	protected abstract String taskId();

	/** @return the request for {@code task} from this command's fields */
	protected abstract TaskRequest request(Task task, Model model);

	// -- Runnable methods --

	@Override
	public void run() {
		final Task task = TaskCatalog.standard().get(taskId());
		final TaskResult answer;
		try (LoadedModels.Lease lease = leaseModel(task); LivePreview preview = livePreview(lease.model(), task)) {
			final Model model = lease.model();
			answer = new TaskRunner(model).run(request(task, model), new StatusProgress(status), this::isCanceled,
				preview == null ? TokenListener.NONE : preview);
		}
		catch (final CancellationException e) {
			if (!isCanceled()) cancel("canceled");
			return;
		}
		result = answer.images().isEmpty() ? null : answer.images().get(0);
		if (!GraphicsEnvironment.isHeadless()) {
			for (int i = 1; i < answer.images().size(); i++) answer.images().get(i).show();
		}
		table = answer.table();
		for (final String notice : answer.notices()) IJ.log("Lumina-mGPT " + task.label() + ": " + notice);
		if (!task.imageAnswer() && !answer.text().isEmpty()) IJ.log(task.label() + ": " + answer.text());
		addToRoiManager(answer);
	}

	// -- Cancelable methods --

	@Override
	public boolean isCanceled() {
		return cancelReason != null;
	}

	@Override
	public void cancel(final String reason) {
		cancelReason = reason == null ? "canceled" : reason;
	}

	@Override
	public String getCancelReason() {
		return cancelReason;
	}

	// -- Helper methods --

	/**
	 * Leases the model {@code task} runs on (the bundle of {@code model_dir} trained for the task's
	 * family) from the shared service, loading it unless it is loaded; the load's phases go to the
	 * status bar and cancelling this command stops it.
	 */
	protected LoadedModels.Lease leaseModel(final Task task) {
		final StatusProgress progress = new StatusProgress(status);
		return models.acquire(models.resolveBundle(model_dir, task.family()), new LoadProgress() {

			@Override
			public void phase(final String phase, final int index, final int count) {
				progress.update("model: " + phase, index, count);
			}

			@Override
			public boolean isCancelled() {
				return isCanceled();
			}
		});
	}

	/** @return the GUI's live preview of answer images, or {@code null} headless and for text answers */
	private static LivePreview livePreview(final Model model, final Task task) {
		if (GraphicsEnvironment.isHeadless() || !task.imageAnswer()) return null;
		return new LivePreview(model, new PreviewWindow(task.label()));
	}

	/** @return the sampling fields */
	protected SamplingSettings sampling() {
		return new SamplingSettings(cfg, image_top_k, text_top_k, temperature, top_p, max_tokens, jacobi_window);
	}

	/** @return {@code key}, {@code value} pairs as a map without blank values */
	protected static Map<String, String> fields(final String key, final String value) {
		return value == null || value.isBlank() ? Map.of() : Map.of(key, value);
	}

	private static void addToRoiManager(final TaskResult answer) {
		if (answer.rois().isEmpty() || GraphicsEnvironment.isHeadless()) return;
		final RoiManager manager = RoiManager.getRoiManager();
		for (final Roi roi : answer.rois()) manager.addRoi(roi);
	}
}
