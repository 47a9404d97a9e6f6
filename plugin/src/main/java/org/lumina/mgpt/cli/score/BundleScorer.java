package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.EncodedImage;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.task.read.BoxReader;
import org.lumina.mgpt.runtime.task.read.DepthReader;
import org.lumina.mgpt.runtime.task.read.KeypointReader;
import org.lumina.mgpt.runtime.task.read.NormalsReader;
import org.lumina.mgpt.runtime.task.read.OutputReader;
import org.lumina.mgpt.runtime.task.read.OutputReaders;
import org.lumina.mgpt.runtime.task.read.PaletteClass;
import org.lumina.mgpt.runtime.task.read.SegmentationReader;

/**
 * Scores one opened bundle on held-out scenes, task by task, through the engine: each answer is
 * read with the bundle's own {@code outputs} convention, mapped back onto the scene's pixel grid
 * and compared with the truth (read with the scenes' conventions, {@link SyntheticScenes}). Each
 * scene is answered in one or more sampling passes; scene {@code i} of pass {@code k} is sampled
 * with seed {@code seed + i + k * scenes}, so scores repeat, and a scene's figure is the mean of
 * its passes.
 */
public final class BundleScorer {

	private final Model model;
	/** The bundle's folder, as the report names it beside each figure. */
	private final String bundle;
	private final AnswerSource answers;
	private final SyntheticScenes truth = SyntheticScenes.standard();
	private final ObjectClassifier classifier = new ObjectClassifier(truth);
	private final CaptionCheck captions = new CaptionCheck(truth, CaptionCheck.POSITION_TOLERANCE);
	private final CaptionCheck strictCaptions = new CaptionCheck(truth, 0);
	private final TaskCatalog catalog = TaskCatalog.standard();
	private final long seed;
	private final int passes;
	private final Double cfg;
	private final BooleanSupplier cancelled;
	private final Path keptAnswers;

	/**
	 * @param model the opened bundle (not closed here)
	 * @param seed the seed of the first scene
	 * @param passes how many times each scene is answered, with other seeds (at least 1): sampling
	 *          noise of one pass over a few dozen scenes is several hundredths
	 * @param cfg text to image's guidance scale, or {@code null} for the manifest's default
	 * @param cancelled polled every generation step and between scenes
	 * @param keptAnswers folder that receives every answer of the first pass, for looking at what
	 *          was scored: {@code <scene>-<task>.png} (text to image: {@code <scene>-t2i.png}
	 *          guided, {@code <scene>-t2i-cfg1.png} not) or {@code <scene>-describe.txt};
	 *          {@code null} keeps none
	 */
	public BundleScorer(final Model model, final long seed, final int passes, final Double cfg,
		final BooleanSupplier cancelled, final Path keptAnswers)
	{
		if (passes < 1) throw new IllegalArgumentException("passes must be at least 1, got " + passes);
		this.model = model;
		this.bundle = model.manifest().directory().toString();
		this.answers = new AnswerSource(model, cancelled);
		this.seed = seed;
		this.passes = passes;
		this.cfg = cfg;
		this.cancelled = cancelled;
		this.keptAnswers = keptAnswers;
	}

	/**
	 * @param tasks ids of the tasks to score ({@code segmentation}, {@code depth}, {@code normals},
	 *          {@code pose}, {@code detect}, {@code condition}, {@code edit}, {@code t2i}, {@code describe})
	 * @param progress receives one line per scene
	 * @return the scores of those tasks
	 * @throws CancellationException when cancelled
	 */
	public ScoreReport score(final List<HeldoutScene> scenes, final Set<String> tasks, final Consumer<String> progress)
		throws IOException
	{
		final ScoreReport report = new ScoreReport();
		for (int i = 0; i < scenes.size(); i++) {
			if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
			final HeldoutScene scene = scenes.get(i);
			progress.accept(model.manifest().name() + ": scene " + (i + 1) + " of " + scenes.size() + " (" + scene.stem() + ")");
			final EncodedImage input = answers.encode(scene.truth("rgb"));
			final List<ScoreReport> sceneScores = new ArrayList<>();
			for (int k = 0; k < passes; k++) {
				final Pass pass = new Pass(scene, input, seed + i + (long) k * scenes.size(), k == 0);
				if (tasks.contains("segmentation")) segmentation(pass);
				if (tasks.contains("depth")) depth(pass);
				if (tasks.contains("normals")) normals(pass);
				if (tasks.contains("pose")) pose(pass);
				if (tasks.contains("detect")) detect(pass);
				if (tasks.contains("condition")) condition(pass);
				if (tasks.contains("edit")) edit(pass);
				if (tasks.contains("t2i")) textToImage(pass);
				if (tasks.contains("describe")) describe(pass);
				sceneScores.add(pass.scores);
			}
			report.addMeanOf(sceneScores);
		}
		return report;
	}

	// -- Helper methods --

	/** One sampling pass over one scene: its seed, its scores, and where its answers are kept. */
	private final class Pass {

		final HeldoutScene scene;
		final EncodedImage input;
		final long seed;
		/** Whether this is the scene's first pass: the VQ's round trips do not sample, so one pass measures them. */
		final boolean first;
		final ScoreReport scores = new ScoreReport();
		/** Where this pass's answers are kept: the first pass's only, or none. */
		private final Path kept;

		Pass(final HeldoutScene scene, final EncodedImage input, final long seed, final boolean first) {
			this.scene = scene;
			this.input = input;
			this.seed = seed;
			this.first = first;
			this.kept = first ? keptAnswers : null;
		}

		void add(final Metric metric, final double value) {
			scores.add(metric, value, bundle);
		}

		/** Writes {@code answer}'s picture as {@code <scene>-<name>.png} when answers are kept; returns it. */
		Optional<GeneratedImage> keep(final String name, final Optional<GeneratedImage> answer) throws IOException {
			if (answer.isPresent()) keep(name, answer.get().rgb());
			return answer;
		}

		/** Writes {@code picture} as {@code <scene>-<name>.png} when answers are kept; returns it. */
		Img<UnsignedByteType> keep(final String name, final Img<UnsignedByteType> picture) throws IOException {
			if (kept != null) RgbImages.write(picture, kept.resolve(scene.stem() + "-" + name + ".png"));
			return picture;
		}
	}

	private void describe(final Pass pass) throws IOException {
		final String answer = answers.text(catalog.get("describe"), Map.of(), pass.input, pass.seed);
		if (pass.kept != null) Files.writeString(pass.kept.resolve(pass.scene.stem() + "-describe.txt"), answer + "\n");
		pass.add(Metric.CAPTION_ACCURACY, captions.correct(answer, pass.scene) ? 1 : 0);
		pass.add(Metric.CAPTION_ACCURACY_STRICT, strictCaptions.correct(answer, pass.scene) ? 1 : 0);
		pass.add(Metric.CAPTION_MENTION_F1, captions.mentionF1(answer, pass.scene));
	}

	private void segmentation(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final EncodedImage input = pass.input;
		final Task task = catalog.get("segmentation");
		final SegmentationReader reader = (SegmentationReader) reader(task);
		final SegmentationReader truthReader = truth.segmentationReader();
		final List<String> names = new ArrayList<>();
		final int[] expected = byName(Planar.of(truthReader.labels(scene.truth("segmentation"))).labels(), truthReader
			.classes(), names);
		final ResizeMapping mapping = input.resized().mapping();
		final Optional<GeneratedImage> answer = pass.keep(task.id(), answers.imageAnswer(task, Map.of(), input, pass.seed));
		final double miou = answer.isEmpty() ? 0 : MeanIou.of(byName(Planar.of(mapping.labelsToInput(reader.labels(answer
			.get().rgb()))).labels(), reader.classes(), names), expected, names.size());
		pass.add(Metric.SEGMENTATION_MIOU, miou);
		if (!pass.first) return;
		final EncodedImage truthMap = answers.encode(scene.truth("segmentation"));
		final int[] ceiling = byName(Planar.of(truthMap.resized().mapping().labelsToInput(reader.labels(answers.roundTrip(
			truthMap)))).labels(), reader.classes(), names);
		pass.add(Metric.SEGMENTATION_MIOU_VQ_CEILING, MeanIou.of(ceiling, expected, names.size()));
	}

	private void depth(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final EncodedImage input = pass.input;
		final Task task = catalog.get("depth");
		final DepthReader reader = (DepthReader) reader(task);
		final Optional<GeneratedImage> answer = pass.keep(task.id(), answers.imageAnswer(task, Map.of(), input, pass.seed));
		final double[] expected = Planar.of(truth.depthReader().depth(scene.truth("depth"))).plane(0);
		pass.add(Metric.DEPTH_SPEARMAN, answer.isEmpty() ? 0 : RankCorrelation.spearman(Planar.of(input.resized()
			.mapping().toInput(reader.depth(answer.get().rgb()))).plane(0), expected));
		if (!pass.first) return;
		final EncodedImage truthMap = answers.encode(scene.truth("depth"));
		pass.add(Metric.DEPTH_SPEARMAN_VQ_CEILING, RankCorrelation.spearman(Planar.of(truthMap.resized().mapping()
			.toInput(reader.depth(answers.roundTrip(truthMap)))).plane(0), expected));
	}

	private void normals(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final EncodedImage input = pass.input;
		final Task task = catalog.get("normals");
		final Optional<GeneratedImage> answer = pass.keep(task.id(), answers.imageAnswer(task, Map.of(), input, pass.seed));
		final float[] expected = Planar.of(truth.normalsReader().normals(scene.truth("normals"))).values();
		final int[] labels = Planar.of(truth.segmentationReader().labels(scene.truth("segmentation"))).labels();
		final boolean[] objects = new boolean[labels.length];
		for (int i = 0; i < labels.length; i++) objects[i] = labels[i] != 0; // NB: class 0 is the background
		pass.add(Metric.NORMALS_MEAN_ANGLE_DEG, answer.isEmpty() ? 90 : NormalAngles.meanDegrees(Planar.of(input
			.resized().mapping().toInput(((NormalsReader) reader(task)).normals(answer.get().rgb()))).values(), expected,
			objects));
	}

	/**
	 * PCK of the keypoints read from the answer to the scene's {@code pose_rgb} picture, mapped
	 * back onto it as boxes are. NB: the ceiling reads the VQ's round trip of the truth map with
	 * the scenes' convention, in which that map is drawn, not with the bundle's.
	 */
	private void pose(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final Task task = catalog.get("pose");
		final EncodedImage picture = answers.encode(scene.truth("pose_rgb"));
		final Optional<GeneratedImage> answer = pass.keep(task.id(), answers.imageAnswer(task, Map.of(), picture,
			pass.seed));
		pass.add(Metric.POSE_KEYPOINT_PCK, answer.map(a -> scene.pose().pck(((KeypointReader) reader(task)).read(a.rgb())
			.toInput(picture.resized().mapping()).found())).orElse(0.0));
		if (!pass.first) return;
		final EncodedImage truthMap = answers.encode(scene.truth("pose"));
		pass.add(Metric.POSE_KEYPOINT_PCK_VQ_CEILING, scene.pose().pck(truth.keypointReader().read(answers.roundTrip(
			truthMap)).toInput(truthMap.resized().mapping()).found()));
	}

	private void detect(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final EncodedImage input = pass.input;
		final Task task = catalog.get("detect");
		final Optional<GeneratedImage> answer = pass.keep(task.id(), answers.imageAnswer(task, Map.of("object", scene
			.detectPhrase()), input, pass.seed));
		final double iou = answer.map(a -> ((BoxReader) reader(task)).boxes(a.rgb())).filter(boxes -> !boxes.isEmpty())
			.flatMap(boxes -> boxes.get(0).toInput(input.resized().mapping())).map(box -> PixelBox.of(box).iou(scene
				.targetObject().box())).orElse(0.0);
		pass.add(Metric.GROUNDING_BOX_IOU, iou);
	}

	private void condition(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final Task task = catalog.get("condition");
		final EncodedImage map = answers.encode(scene.truth(scene.conditionInput()));
		final Optional<GeneratedImage> picture = pass.keep(task.id(), answers.imageAnswer(task, Map.of("caption", scene
			.caption()), map, pass.seed));
		addFoundWhereItIs(pass, picture, map, scene.nearestObject().colour(), Metric.CONDITION_COLOUR_MATCH,
			Metric.CONDITION_ATTRIBUTE_MATCH);
	}

	private void edit(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final Task task = catalog.get("edit");
		final Optional<GeneratedImage> picture = pass.keep(task.id(), answers.imageAnswer(task, Map.of("instruction", scene
			.editInstruction()), pass.input, pass.seed));
		addFoundWhereItIs(pass, picture, pass.input, scene.editColour(), Metric.EDIT_COLOUR_MATCH,
			Metric.EDIT_ATTRIBUTE_MATCH);
	}

	/**
	 * Adds whether {@code picture} (the answer to {@code input}) holds, where the scene's nearest
	 * object lies, an object of {@code colour} ({@code colourMetric}) and of that colour and the
	 * object's shape ({@code attributeMetric}). The input fixes where the object is, so it is
	 * looked for there, not anywhere as for text to image.
	 */
	private void addFoundWhereItIs(final Pass pass, final Optional<GeneratedImage> picture, final EncodedImage input,
		final String colour, final Metric colourMetric, final Metric attributeMetric)
	{
		final HeldoutScene.SceneObject nearest = pass.scene.nearestObject();
		final Optional<ObjectClassifier.Found> found = picture.flatMap(p -> classifier.objectOfColourIn(Planar.of(input
			.resized().mapping().toInput(p.rgb())), nearest.box(), colour));
		pass.add(colourMetric, found.isPresent() ? 1 : 0);
		pass.add(attributeMetric, found.filter(f -> f.shape().equals(nearest.shape())).isPresent() ? 1 : 0);
	}

	private void textToImage(final Pass pass) throws IOException {
		final HeldoutScene scene = pass.scene;
		final EncodedImage input = pass.input;
		final Task task = catalog.get("t2i");
		final ImageSize size = answers.textToImageSize(scene.size());
		final String prompt = task.prompt(Map.of("width", Integer.toString(size.width()), "height", Integer.toString(size
			.height()), "caption", scene.caption()));
		final HeldoutScene.SceneObject named = scene.nearestObject();
		double sizesOk = 0;
		for (final boolean guided : new boolean[] { true, false }) {
			final double scale = guided ? (cfg != null ? cfg : answers.defaultCfg(task)) : 1.0;
			final Optional<GeneratedImage> picture = pass.keep(guided ? task.id() : task.id() + "-cfg1", answers
				.textToImage(task, prompt, size, scale, pass.seed));
			final List<ObjectClassifier.Found> found = picture.map(p -> classifier.objects(Planar.of(p.rgb()))).orElse(List
				.of());
			final boolean colour = found.stream().anyMatch(f -> f.colour().equals(named.colour()));
			final boolean attributes = found.stream().anyMatch(f -> f.colour().equals(named.colour()) && f.shape().equals(
				named.shape()));
			pass.add(guided ? Metric.T2I_COLOUR_MATCH : Metric.T2I_COLOUR_MATCH_CFG1, colour ? 1 : 0);
			pass.add(guided ? Metric.T2I_ATTRIBUTE_MATCH : Metric.T2I_ATTRIBUTE_MATCH_CFG1, attributes ? 1 : 0);
			if (picture.isPresent() && picture.get().size().equals(size)) sizesOk += 0.5;
		}
		pass.add(Metric.T2I_SIZES_OK, sizesOk);
		if (!pass.first) return;
		final Img<UnsignedByteType> roundTrip = pass.keep("rgb-roundtrip", answers.roundTrip(input));
		final boolean classified = classifier.objectOfColourIn(Planar.of(input.resized().mapping().toInput(roundTrip)),
			named.box(), named.colour()).filter(f -> f.shape().equals(named.shape())).isPresent();
		pass.add(Metric.T2I_CLASSIFIER_ROUNDTRIP, classified ? 1 : 0);
	}

	private OutputReader reader(final Task task) {
		return OutputReaders.forTask(task, model.manifest().outputs()).orElseThrow(() -> new IllegalStateException(
			"the bundle '" + model.manifest().name() + "' has no reader for " + task.id() + " answers"));
	}

	/**
	 * @return the labels as indices into {@code names} (by class name, so that palettes in another
	 *         order still compare); names not yet there are appended
	 */
	static int[] byName(final int[] labels, final List<PaletteClass> classes, final List<String> names) {
		final int[] index = new int[classes.size()];
		for (int c = 0; c < index.length; c++) {
			final String name = classes.get(c).name();
			if (!names.contains(name)) names.add(name);
			index[c] = names.indexOf(name);
		}
		final int[] out = new int[labels.length];
		for (int i = 0; i < labels.length; i++) out[i] = index[labels[i]];
		return out;
	}
}
