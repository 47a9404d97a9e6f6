package org.lumina.mgpt.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.GenerationResult;
import org.lumina.mgpt.runtime.Generator;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.bundle.SamplingDefaults;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.TaskCatalog;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * Speculative Jacobi decoding against plain decoding on a text-to-image prompt, at the bundle's
 * text-to-image sampling settings (acceptance depends on temperature and top-k, so the defaults
 * are what users get): the same seeds side by side, plain and speculative alternating (ABBA per
 * pair of seeds) so that load drift weighs alike on both. Times only the steps that produce
 * image-body tokens (image tokens and end-of-lines), and counts decoder calls per such token from
 * {@link GenerationResult#stepsPerImageToken()}: plain decoding is 1.0 by construction.
 */
final class JacobiBenchmark {

	private static final String CAPTION = "a large red ring at the top left and a small blue square at the bottom right";

	/**
	 * One side of the comparison.
	 *
	 * @param imageTokens image-body tokens produced
	 * @param decoderCalls decoder calls that chose them (a guided pair counts once)
	 * @param seconds time of the steps that produced them
	 */
	record Side(long imageTokens, long decoderCalls, double seconds) {

		double msPerImageToken() {
			return 1000 * seconds / imageTokens;
		}

		double stepsPerToken() {
			return decoderCalls / (double) imageTokens;
		}

		Side plus(final GenerationResult result, final double moreSeconds) {
			return new Side(imageTokens + result.imageTokens(), decoderCalls + result.imageDecoderCalls(), seconds +
				moreSeconds);
		}
	}

	private final Model model;
	private final ImageSize size;
	private final int[] prompt;
	private final GenerationParams params;

	/** A benchmark of the image with the fewest tokens among the model's candidate sizes. */
	JacobiBenchmark(final Model model) {
		this.model = model;
		this.size = model.candidateSizes().sizes().stream().min(Comparator.comparingInt(UniRep::tokenCount))
			.orElseThrow();
		final Task t2i = TaskCatalog.standard().get("t2i");
		final String text = t2i.prompt(Map.of("width", Integer.toString(size.width()), "height", Integer.toString(size
			.height()), "caption", CAPTION));
		this.prompt = model.chatTemplate().encode(List.of(text), List.of());
		final SamplingDefaults d = model.manifest().sampling(TaskFamily.TEXT_TO_IMAGE);
		this.params = GenerationParams.defaults().withCfg(d.cfg()).withImageTopK(d.imageTopK()).withTextTopK(d
			.textTopK()).withTemperature(d.temperature()).withForcedImageSize(size);
	}

	/** @return the settings both sides use, without seed, window and token budget */
	GenerationParams params() {
		return params;
	}

	/** @return the image size generated */
	ImageSize size() {
		return size;
	}

	/**
	 * Generates at least {@code imageTokens} image-body tokens each way, whole images except the
	 * last, which is cut at the budget.
	 *
	 * @param window the speculative side's {@code jacobiWindow}, {@code >= 1}
	 * @return {@code [plain, speculative]}
	 */
	Side[] compare(final int imageTokens, final int window) {
		final int body = UniRep.tokenCount(size) - 4; // NB: [start, H, W] ... end
		Side plain = new Side(0, 0, 0), jacobi = new Side(0, 0, 0);
		for (int seed = 1; plain.imageTokens() < imageTokens; seed++) {
			final int wanted = (int) Math.min(body, imageTokens - plain.imageTokens());
			final GenerationParams p = params.withSeed(seed).withMaxNewTokens(3 + wanted + (wanted == body ? 1 : 0));
			for (int side = 0; side < 2; side++) {
				final boolean speculative = (side + seed) % 2 == 0; // NB: plain first on odd seeds, last on even
				final double[] seconds = new double[1];
				final GenerationResult result = run(p.withJacobiWindow(speculative ? window : 0), seconds);
				if (speculative) jacobi = jacobi.plus(result, seconds[0]);
				else plain = plain.plus(result, seconds[0]);
			}
		}
		return new Side[] { plain, jacobi };
	}

	/** @param seconds receives the time of the steps that returned image-body tokens */
	private GenerationResult run(final GenerationParams p, final double[] seconds) {
		final TokenIds ids = model.manifest().tokens();
		try (Generator generator = new Generator(model.decoder(), ids, model.candidateSizes().sizes(), p)) {
			generator.appendTokens(prompt);
			long nanos = 0;
			while (!generator.isDone()) {
				final long start = System.nanoTime();
				final int token = generator.nextToken();
				final long took = System.nanoTime() - start;
				if (token == ids.endOfLine() || ids.imageTokens().contains(token)) nanos += took;
			}
			seconds[0] = nanos / 1e9;
			return generator.result();
		}
	}
}
