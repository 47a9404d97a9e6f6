package org.lumina.mgpt.plugin.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.plugin.convert.InputConverter;
import org.lumina.mgpt.plugin.display.ProvenanceWriter;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.task.Answer;
import org.lumina.mgpt.runtime.task.AnswerGenerator;
import org.lumina.mgpt.runtime.task.EncodedImage;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.read.OutputReader;
import org.lumina.mgpt.runtime.task.read.OutputReaders;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * Runs one task on an {@code ImagePlus} (or none, for text to image) and builds the ImageJ
 * results: converts the input plane(s) ({@link InputConverter}), generates an answer per plane
 * (image tasks force an answer image of the plane's model size, so it maps back pixel for pixel),
 * reads it by the manifest's {@code outputs} convention, maps it back into the input's geometry
 * (or the selection's) and builds the output images with calibration, LUT and provenance.
 * <p>
 * The input is never modified, except: the overlay layers when {@link TaskRequest#addOverlay()},
 * and the {@code lumina.conversation} property for {@code ask}. Both happen only after every
 * plane has been generated, so a cancelled or failed run leaves the input as it was.
 * <p>
 * Thread-safe as far as the {@link Model} is (it is): each run uses its own generators. Runs
 * that add overlays to the same image must not overlap.
 */
public final class TaskRunner {

	/** Answer-image token budget beyond the forced image's own tokens. */
	public static final int IMAGE_TOKEN_MARGIN = 64;
	/** Text budget when the manifest's family gives none. */
	public static final int DEFAULT_TEXT_TOKENS = 512;

	private final Model model;
	private final String modelDir;
	private final String device;
	private final AnswerGenerator generator;

	/**
	 * @param model the opened bundle (shared, not closed by the runner)
	 * @param modelDir the bundle directory, for provenance
	 * @param deviceDescription where the model runs, for provenance (e.g. {@code cpu})
	 */
	public TaskRunner(final Model model, final Path modelDir, final String deviceDescription) {
		this.model = model;
		this.modelDir = modelDir.toAbsolutePath().normalize().toString();
		this.device = deviceDescription;
		this.generator = new AnswerGenerator(model);
	}

	/** Same as {@code TaskRunner(model, model.manifest().directory(), model.providerReport())}. */
	public TaskRunner(final Model model) {
		this(model, model.manifest().directory(), model.providerReport());
	}

	/**
	 * Runs {@code request}.
	 *
	 * @param progress receives phases and token counts
	 * @param cancelled polled every step; when it turns true the run stops
	 * @param observer also sees every generated token and completed image row (e.g. a
	 *            {@link LivePreview}); {@link TokenListener#NONE} for none
	 * @return the results, not yet shown
	 * @throws CancellationException when cancelled; nothing was added to the input
	 * @throws IllegalArgumentException for a bad input (see {@link InputConverter}), a missing
	 *           prompt field, a size that is not a candidate of the model
	 * @throws IllegalStateException when the model's answer lacks the image the task needs
	 *           (raise {@code maxNewTokens})
	 */
	public TaskResult run(final TaskRequest request, final Progress progress, final BooleanSupplier cancelled,
		final TokenListener observer)
	{
		final long start = System.nanoTime();
		final Task task = request.task();
		final LinkedHashSet<String> notices = new LinkedHashSet<>();
		if (task.inputs() == 0) return textToImage(request, progress, cancelled, observer, notices, start);

		List<ConvertedPlane> planes = InputConverter.convert(request.input(), request.convert());
		if (!task.imageAnswer() && planes.size() > 1) {
			notices.add(task.id() + " answers in text: only the first of " + planes.size() + " planes was used");
			planes = planes.subList(0, 1);
		}
		final boolean conversation = "ask".equals(task.id()) && "false".equalsIgnoreCase(request.fields().get(
			"new_conversation"));
		final List<String> prior = conversation ? Conversation.read(request.input()) : List.of();
		final String prompt = task.prompt(request.fields());
		final List<String> turns = new ArrayList<>(prior);
		turns.add(prompt);

		final List<PlaneAnswer> answers = new ArrayList<>();
		GenerationParams used = null;
		for (int i = 0; i < planes.size(); i++) {
			checkCancelled(cancelled);
			final String phase = task.id() + ": plane " + (i + 1) + "/" + planes.size();
			progress.update(phase + ": encoding", i, planes.size());
			final EncodedImage encoded = generator.encodeImage(planes.get(i).rgb());
			final ImageSize size = encoded.resized().mapping().result();
			used = params(request, task.imageAnswer() ? size : null);
			final int[] tokens = generator.promptTokens(turns, List.of(encoded));
			final Answer answer = generator.generate(tokens, used, listener(progress, phase + ": generating", observer,
				notices),
				cancelled);
			answer.problem().ifPresent(notices::add);
			if (task.imageAnswer()) requireImage(answer, size, i + 1);
			answers.add(new PlaneAnswer(planes.get(i), encoded.resized().mapping(), answer));
		}
		checkCancelled(cancelled);
		progress.update(task.id() + ": building results", planes.size(), planes.size());

		final List<String> preprocess = planes.stream().map(ConvertedPlane::preprocess).toList();
		final Answer last = answers.get(answers.size() - 1).answer();
		final Map<String, String> provenance = RunProvenance.of(model.manifest(), modelDir, task.id(), prompt, used,
			device, start, request.input().getTitle(), preprocess, totalTokens(answers), last.result().stopReason().name()
				.toLowerCase(java.util.Locale.ROOT));
		if (!task.imageAnswer()) {
			final String text = last.text();
			// NB: a new conversation replaces the stored one, so that the next turn can continue it
			if ("ask".equals(task.id())) Conversation.write(request.input(), prior, prompt, text);
			return new TaskResult(List.of(), textTable(task, prompt, text), text, List.of(), provenance, List.copyOf(
				notices));
		}
		final Optional<OutputReader> reader = OutputReaders.forTask(task, model.manifest().outputs());
		if (OutputReaders.isUnread(task, model.manifest().outputs())) {
			notices.add("the model '" + model.manifest().name() + "' has no verified convention for reading " + task
				.output() + " answers (manifest outputs: unknown): the answer is shown as an RGB image, no numbers were " +
				"read from it");
		}
		final OutputBuilder.Built built = new OutputBuilder(task, request.input(), reader.orElse(null), model.manifest()
			.outputs().convention(task.output()).orElse(null), objectName(request), request.overlayOpacity()).build(
				answers);
		for (final ImagePlus image : built.images()) ProvenanceWriter.write(image, provenance);
		if (request.addOverlay()) {
			addToOverlay(request.input(), built.layers());
			// NB: above the layer, so the outlines stay crisp; copies, since the ROI Manager gets the ROIs too
			addToOverlay(request.input(), built.rois().stream().map(roi -> (Roi) roi.clone()).toList());
		}
		return new TaskResult(built.images(), built.table(), joinedText(answers), built.rois(), provenance, List.copyOf(
			notices));
	}

	// -- Helper methods --

	private TaskResult textToImage(final TaskRequest request, final Progress progress, final BooleanSupplier cancelled,
		final TokenListener observer, final LinkedHashSet<String> notices, final long start)
	{
		final Task task = request.task();
		final ImageSize size = request.size() != null ? request.size() : model.candidateSizes().closest(model.manifest()
			.targetSize(), model.manifest().targetSize());
		if (!model.candidateSizes().contains(size)) {
			throw new IllegalArgumentException("size " + size + " is not one the model '" + model.manifest().name() +
				"' generates; candidates are " + model.candidateSizes().sizes());
		}
		final Map<String, String> fields = new HashMap<>(request.fields());
		fields.put("width", Integer.toString(size.width()));
		fields.put("height", Integer.toString(size.height()));
		final String prompt = task.prompt(fields);
		final GenerationParams params = params(request, size);
		checkCancelled(cancelled);
		final Answer answer = generator.generate(generator.promptTokens(List.of(prompt), List.of()), params, listener(
			progress, task.id() + ": generating", observer, notices), cancelled);
		answer.problem().ifPresent(notices::add);
		requireImage(answer, size, 1);
		final GeneratedImage image = answer.images().get(0);
		final ImagePlus result = new ImagePlus(task.id(), Rasters.rgb(image.rgb()));
		final Map<String, String> provenance = RunProvenance.of(model.manifest(), modelDir, task.id(), prompt, params,
			device, start, "none", List.of("none"), answer.result().tokens().length, answer.result().stopReason().name()
				.toLowerCase(java.util.Locale.ROOT));
		ProvenanceWriter.write(result, provenance);
		return new TaskResult(List.of(result), null, answer.text(), List.of(), provenance, List.copyOf(notices));
	}

	/** @param forced the answer image's size, or {@code null} for a text answer */
	private GenerationParams params(final TaskRequest request, final ImageSize forced) {
		GenerationParams p = request.params();
		if (p == null) {
			final SamplingDefaults d = model.manifest().sampling(request.task().family());
			final int budget = forced != null ? UniRep.tokenCount(forced) + IMAGE_TOKEN_MARGIN : d.maxNewTokens().orElse(
				DEFAULT_TEXT_TOKENS);
			p = GenerationParams.defaults().withCfg(d.cfg()).withImageTopK(d.imageTopK()).withTextTopK(d.textTopK())
				.withTemperature(d.temperature()).withMaxNewTokens(budget);
		}
		return p.withSeed(request.seed()).withForcedImageSize(forced);
	}

	private static TokenListener listener(final Progress progress, final String phase, final TokenListener observer,
		final LinkedHashSet<String> notices)
	{
		return new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				observer.onToken(token, index);
			}

			@Override
			public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
				progress.imageRows(row + 1, rowsTotal);
				observer.onImageRow(imageIndex, row, rowsTotal);
			}

			@Override
			public void onProgress(final int generated, final int total) {
				progress.update(phase, generated, total);
			}

			@Override
			public void onWarning(final String message) {
				notices.add(message);
			}
		};
	}

	private static void requireImage(final Answer answer, final ImageSize size, final int plane) {
		if (answer.images().isEmpty()) {
			throw new IllegalStateException("the model's answer for plane " + plane + " holds no complete image" + answer
				.problem().map(p -> " (" + p + ")").orElse("") + "; nothing was added to the input");
		}
		final ImageSize got = answer.images().get(0).size();
		if (!got.equals(size)) {
			throw new IllegalStateException("the model's answer image for plane " + plane + " is " + got + ", expected the " +
				"forced size " + size);
		}
	}

	private static void checkCancelled(final BooleanSupplier cancelled) {
		if (cancelled.getAsBoolean()) throw new CancellationException("cancelled; the input was not changed");
	}

	private static void addToOverlay(final ImagePlus input, final List<Roi> rois) {
		if (rois.isEmpty()) return;
		Overlay overlay = input.getOverlay();
		if (overlay == null) overlay = new Overlay();
		for (final Roi roi : rois) overlay.add(roi);
		input.setOverlay(overlay);
	}

	private static String objectName(final TaskRequest request) {
		final String object = request.fields().get("object");
		return object == null || object.isBlank() ? request.task().id() : object.trim();
	}

	private static int totalTokens(final List<PlaneAnswer> answers) {
		return answers.stream().mapToInt(a -> a.answer().result().tokens().length).sum();
	}

	private static String joinedText(final List<PlaneAnswer> answers) {
		final List<String> texts = new ArrayList<>();
		for (final PlaneAnswer a : answers) {
			final String text = a.answer().text().replace("<|image|>", "").trim();
			if (!text.isEmpty()) texts.add(text);
		}
		return String.join("\n", texts);
	}

	private static ResultsTable textTable(final Task task, final String prompt, final String text) {
		final ResultsTable table = new ResultsTable();
		table.incrementCounter();
		table.addValue("task", task.id());
		table.addValue("prompt", prompt);
		table.addValue("answer", text);
		return table;
	}

}
