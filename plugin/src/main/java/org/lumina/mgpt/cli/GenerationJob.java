package org.lumina.mgpt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.Answer;
import org.lumina.mgpt.runtime.task.AnswerGenerator;

/**
 * One generation from a prompt to files, the plain-Java core of {@code generate} and
 * {@code demo}: prompt tokens → answer → {@code image-<k>.png} per complete image,
 * {@code answer.txt} and {@code generation.json}, committed together by an {@link OutputFolder}
 * (nothing is left that looks complete when the run fails or is cancelled).
 */
final class GenerationJob {

	/** The file with the answer's text. */
	static final String ANSWER = "answer.txt";
	/** The provenance file, written last. */
	static final String PROVENANCE = "generation.json";

	/**
	 * What a finished run produced.
	 *
	 * @param answer the model's answer
	 * @param files the written files, final paths
	 */
	record Outcome(Answer answer, List<Path> files) {

		/** @return the one-line JSON summary the CLI prints ({@code files, num_tokens, seconds, tokens_per_s, ...}) */
		Map<String, Object> summary(final Provenance provenance) {
			final Map<String, Object> json = new LinkedHashMap<>();
			json.put("files", files.stream().map(Path::toString).toList());
			final int tokens = answer.result().tokens().length;
			json.put("num_tokens", tokens);
			json.put("seconds", answer.result().seconds());
			json.put("tokens_per_s", answer.result().seconds() > 0 ? tokens / answer.result().seconds() : 0.0);
			json.put("seed", provenance.plan().params().seed());
			json.put("model", provenance.manifest().name());
			json.put("stop_reason", answer.result().stopReason().name().toLowerCase(java.util.Locale.ROOT));
			return json;
		}

		/** @throws IncompleteAnswerException when an image was cut (the message says what to raise) */
		void requireComplete(final Provenance provenance) {
			answer.problem().ifPresent(problem -> {
				throw new IncompleteAnswerException(problem + " (--max-tokens, now " +
					provenance.plan().params().maxNewTokens() + "); the rest of the answer is in " +
					files.get(0).getParent());
			});
		}
	}

	private final AnswerGenerator generator;

	GenerationJob(final AnswerGenerator generator) {
		this.generator = generator;
	}

	/**
	 * Generates and writes the answer into {@code outDir}.
	 *
	 * When an image was cut, the complete parts are still written: check
	 * {@link Outcome#requireComplete}.
	 *
	 * @throws java.util.concurrent.CancellationException when {@code cancelled} turned true (nothing written)
	 */
	Outcome run(final Provenance provenance, final Path outDir, final TokenListener listener,
		final BooleanSupplier cancelled) throws IOException
	{
		final int[] prompt = generator.promptTokens(List.of(provenance.prompt()),
			InputImage.encoded(provenance.images()));
		final Answer answer = generator.generate(prompt, provenance.plan().params(), listener, cancelled);
		final List<Path> files;
		try (OutputFolder folder = OutputFolder.open(outDir)) {
			final List<String> names = new ArrayList<>();
			for (int k = 0; k < answer.images().size(); k++) {
				final String name = "image-" + (k + 1) + ".png";
				RgbImages.write(answer.images().get(k).rgb(), folder.file(name));
				names.add(name);
			}
			Files.writeString(folder.file(ANSWER), answer.text());
			names.add(ANSWER);
			names.add(PROVENANCE);
			JsonOutput.write(provenance.describe(answer, names), folder.file(PROVENANCE));
			files = folder.commit();
		}
		return new Outcome(answer, files);
	}
}
