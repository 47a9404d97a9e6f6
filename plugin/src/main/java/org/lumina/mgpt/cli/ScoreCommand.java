package org.lumina.mgpt.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.lumina.mgpt.cli.score.BundleScorer;
import org.lumina.mgpt.cli.score.HeldoutScene;
import org.lumina.mgpt.cli.score.HeldoutSet;
import org.lumina.mgpt.cli.score.ScoreReport;
import org.lumina.mgpt.cli.score.ScoredBundles;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.ModelManifest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lumina score}: a bundle's scores on the held-out synthetic scenes. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
	description = { "Scores a model bundle on the held-out synthetic scenes.", "",
		"Runs segmentation, depth, normals, pose, detect, condition to image, editing, text to image (at the default CFG " +
			"and at CFG 1) and captions on the held-out scenes through the engine and compares the answers with the truth: " +
			"segmentation_miou (and the VQ's own ceiling), depth_spearman (and its ceiling), normals_mean_angle_deg, " +
			"pose_keypoint_pck (and its ceiling; only for a bundle whose manifest declares the keypoint convention), " +
			"grounding_box_iou, condition_colour_match, condition_attribute_match, edit_colour_match, " +
			"edit_attribute_match, t2i_colour_match, t2i_attribute_match, their _cfg1 twins, t2i_classifier_roundtrip, " +
			"t2i_sizes_ok, caption_accuracy, each with <metric>_n, the scenes it used (null for a task no bundle covers). " +
			"Prints a table; with --json the last line is one JSON object.",
		"",
		"--model names a bundle, or a folder of bundles (e.g. one per task family): each task is scored by the first " +
			"bundle, in path order, whose manifest's families cover it and whose answers can be read; the results are " +
			"merged. Scene i is sampled with seed --seed + i; with --passes N, N times, pass k with seed --seed + i + k * " +
			"scenes, and each scene's figure is the mean of its passes." })
final class ScoreCommand implements Callable<Integer> {

	@Spec
	private CommandSpec spec;

	@ParentCommand
	private LuminaCli parent;

	@Option(names = "--model", required = true, paramLabel = "DIR", description = "Bundle folder, or a folder of bundles.")
	Path model;

	@Option(names = "--heldout", paramLabel = "DIR", description = "Held-out scenes (default: heldout/ in or beside " +
		"the bundle, else model-runtime/models/synthetic/heldout).")
	Path heldout;

	@Option(names = "--scenes", paramLabel = "N", defaultValue = "0",
		description = "Score only the first N scenes (they cycle through the sizes; default: ${DEFAULT-VALUE} = all).")
	int scenes;

	@Option(names = "--tasks", paramLabel = "LIST", split = ",",
		description = "Score only these tasks: segmentation, depth, normals, pose, detect, condition, edit, t2i, " +
			"describe (default: all).")
	List<String> tasks;

	@Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the first scene (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--passes", paramLabel = "N", defaultValue = "1", description = "Answer every scene N times with " +
		"other seeds and score the mean (one pass over 36 scenes varies by a few hundredths; default: ${DEFAULT-VALUE}).")
	int passes;

	@Option(names = "--cfg", paramLabel = "X", description = "Guidance scale of the t2i scores (default: the manifest's).")
	Double cfg;

	@Option(names = "--answers", paramLabel = "DIR", description = "Also write every answer of the first pass there: <scene>-<task>.png " +
		"(text to image: <scene>-t2i.png guided, <scene>-t2i-cfg1.png not, <scene>-rgb-roundtrip.png the VQ round trip the classifier is checked on), " +
		"<scene>-describe.txt.")
	Path answers;

	@Option(names = "--json", description = "Also print the scores as one JSON object on the last stdout line.")
	boolean json;

	@Mixin
	CommonOptions common;

	@Override
	public Integer call() throws Exception {
		if (scenes < 0) throw new IllegalArgumentException("--scenes must be >= 0 (0 = all), got " + scenes);
		if (passes < 1) throw new IllegalArgumentException("--passes must be >= 1, got " + passes);
		final long start = System.nanoTime();
		final PrintWriter err = spec.commandLine().getErr();
		final Set<String> wanted = ScoredBundles.parseTasks(tasks == null ? null : String.join(",", tasks));
		final List<ModelManifest> manifests = new ArrayList<>();
		for (final Path bundle : ModelFolder.bundles(CommonOptions.existingFolder(model))) {
			manifests.add(ManifestReader.read(bundle));
		}
		final Path sceneDir = heldout != null ? heldout : HeldoutSet.locate(manifests.get(0).directory(), LuminaHome
			.current().root().resolve("model-runtime/models/synthetic").resolve(HeldoutSet.FOLDER)).orElseThrow(
				() -> new IllegalArgumentException("no held-out scenes found for " + model + "; pass --heldout DIR"));
		List<HeldoutScene> all = HeldoutSet.read(sceneDir);
		if (scenes > 0 && scenes < all.size()) all = all.subList(0, scenes);
		if (answers != null) Files.createDirectories(answers);
		final ScoreReport report = new ScoreReport();
		for (final Map.Entry<ModelManifest, Set<String>> e : ScoredBundles.assign(manifests, wanted).entrySet()) {
			if (e.getValue().isEmpty()) continue;
			try (LoadedModels.Lease lease = common.openModel(parent, e.getKey().directory(), err)) {
				final Model opened = lease.model();
				report.merge(new BundleScorer(opened, seed, passes, cfg, parent.cancel(), answers).score(all, e.getValue(), line -> {
					if (!common.quiet) err.println("score: " + line + " " + e.getValue());
				}));
			}
		}
		final PrintWriter out = spec.commandLine().getOut();
		report.printTable(out);
		if (json) {
			final Map<String, Object> line = new LinkedHashMap<>(report.json());
			line.put("heldout", sceneDir.toString());
			line.put("seed", seed);
			line.put("passes", passes);
			line.put("seconds", (System.nanoTime() - start) / 1e9);
			out.println(JsonOutput.line(line));
		}
		return 0;
	}
}
