package org.lumina.mgpt.runtime.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * Two generations on one shared {@link Model} at the same time keep separate KV caches: each
 * produces exactly the tokens it produces alone.
 */
class ConcurrentGenerationTest {

	@Test
	void parallelGenerationsMatchTheirSingleRuns() throws Exception {
		try (Model model = Model.open(TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1))) {
			final AnswerGenerator answers = new AnswerGenerator(model);
			final ImageSize size = new ImageSize(512, 512);
			final int[] imagePrompt = answers.promptTokens(List.of("Generate an image of 512x512 according to the " +
				"following prompt:\nA green square"), List.of());
			final int[] textPrompt = answers.promptTokens(List.of("What colour is the disc?"), List.of());
			final GenerationParams image = GenerationParams.defaults().withCfg(3.0).withSeed(21).withForcedImageSize(size)
				.withMaxNewTokens(UniRep.tokenCount(size));
			final GenerationParams text = GenerationParams.defaults().withSeed(22).withMaxNewTokens(600);

			final int[] imageAlone = run(answers, imagePrompt, image);
			final int[] textAlone = run(answers, textPrompt, text);

			final ExecutorService pool = Executors.newFixedThreadPool(2);
			try {
				final Future<int[]> imageTogether = pool.submit(() -> run(answers, imagePrompt, image));
				final Future<int[]> textTogether = pool.submit(() -> run(answers, textPrompt, text));
				assertArrayEquals(imageAlone, imageTogether.get(), "image generation run beside another");
				assertArrayEquals(textAlone, textTogether.get(), "text generation run beside another");
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	private static int[] run(final AnswerGenerator answers, final int[] prompt, final GenerationParams params) {
		return answers.generate(prompt, params, TokenListener.NONE, () -> false).result().tokens();
	}
}
