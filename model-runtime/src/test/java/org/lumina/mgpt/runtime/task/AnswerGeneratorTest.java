package org.lumina.mgpt.runtime.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.onnx.NativeObjects;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * The whole pipeline on the committed tiny random-weight bundle, with the real ONNX graphs:
 * whatever the weights, every image it emits is well-formed, runs are reproducible from a seed,
 * cancellation frees native memory, and {@code max_positions} is only advisory.
 */
class AnswerGeneratorTest {

	private static Model model;
	private static AnswerGenerator answers;
	private static Img<UnsignedByteType> shapes;

	@BeforeAll
	static void open() throws Exception {
		model = Model.open(TestBundles.tiny(), ModelOptions.cpu().withCpuThreads(1));
		answers = new AnswerGenerator(model);
		final Path samples = TestBundles.tiny().resolve("../../../sample-images").normalize();
		shapes = RgbImages.read(samples.resolve("shapes-512x384.png"));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void textToImageWithGuidanceEmitsOneWellFormedImageOfTheForcedSize() {
		final ImageSize size = new ImageSize(256, 1024);
		final int[] prompt = answers.promptTokens(List.of("Generate an image of 256x1024 according to the following " +
			"prompt:\nA red disc"), List.of());
		final GenerationParams params = GenerationParams.defaults().withCfg(4.0).withImageTopK(2000).withSeed(3)
			.withForcedImageSize(size).withMaxNewTokens(UniRep.tokenCount(size) + 8);
		final Answer answer = answers.generate(prompt, params, TokenListener.NONE, () -> false);
		assertTrue(answer.complete(), () -> answer.problem().orElse(""));
		assertEquals(1, answer.images().size());
		final GeneratedImage image = answer.images().get(0);
		assertEquals(size, image.size());
		assertEquals(256, image.rgb().dimension(0));
		assertEquals(1024, image.rgb().dimension(1));
		// the unconditional stream predicts every token after start, height and width: its prefill
		// predicts the first, then each body token fed predicts the next (the last one the end)
		assertEquals(UniRep.tokenCount(size) - 3, answer.result().unconditionalForwards(), "unconditional forwards");
	}

	@Test
	void sameSeedSameTokensOtherSeedOtherTokens() {
		final int[] prompt = answers.promptTokens(List.of("Describe the image in detail. <|image|>"),
			List.of(answers.encodeImage(shapes)));
		final GenerationParams params = GenerationParams.defaults().withMaxNewTokens(40).withSeed(11);
		final int[] first = answers.generate(prompt, params, TokenListener.NONE, () -> false).result().tokens();
		final int[] again = answers.generate(prompt, params, TokenListener.NONE, () -> false).result().tokens();
		final int[] other = answers.generate(prompt, params.withSeed(12), TokenListener.NONE, () -> false).result()
			.tokens();
		assertArrayEquals(first, again);
		assertFalse(java.util.Arrays.equals(first, other), "a different seed gives different tokens");
	}

	@Test
	void imagesWithSampledSizesAreWellFormedWhateverTheWeights() {
		// The prompt opens an image and leaves its size to the model: the size-token and structure
		// constraints alone must make the random model's answer a well-formed candidate-size image.
		final int[] chat = answers.promptTokens(List.of("Depth estimation. <|image|>"), List.of(answers.encodeImage(
			shapes)));
		final int[] prompt = java.util.Arrays.copyOf(chat, chat.length + 1);
		prompt[chat.length] = model.manifest().tokens().imageStart();
		final int largest = model.candidateSizes().sizes().stream().mapToInt(UniRep::tokenCount).max().orElseThrow();
		for (long seed = 0; seed < 3; seed++) {
			final GenerationParams params = GenerationParams.defaults().withCfg(seed == 0 ? 2.0 : 1.0).withImageTopK(200)
				.withMaxNewTokens(largest).withSeed(seed);
			final Answer answer = answers.generate(prompt, params, TokenListener.NONE, () -> false);
			assertTrue(answer.complete(), () -> answer.problem().orElse(""));
			assertEquals(1, answer.images().size(), "seed " + seed);
			final GeneratedImage image = answer.images().get(0);
			assertTrue(model.candidateSizes().contains(image.size()), "size " + image.size() + " is a candidate");
			assertEquals(image.size().width(), image.rgb().dimension(0));
			assertEquals(image.size().height(), image.rgb().dimension(1));
		}
	}

	@Test
	void generationPastMaxPositionsCompletesWithOneWarning() {
		final EncodedImage input = answers.encodeImage(shapes);
		final ImageSize size = input.resized().mapping().result();
		final int[] prompt = answers.promptTokens(List.of("Depth estimation. <|image|>"), List.of(input));
		final int maxPositions = model.manifest().decoder().maxPositions();
		assertTrue(prompt.length + UniRep.tokenCount(size) > maxPositions, "the test must cross max_positions");
		final List<String> warnings = new ArrayList<>();
		final GenerationParams params = GenerationParams.defaults().withImageTopK(200).withSeed(5)
			.withForcedImageSize(size).withMaxNewTokens(UniRep.tokenCount(size) + 4);
		final Answer answer = answers.generate(prompt, params, new TokenListener() {

			@Override
			public void onWarning(final String message) {
				warnings.add(message);
			}
		}, () -> false);
		assertTrue(answer.complete());
		assertEquals(size, answer.images().get(0).size());
		assertEquals(1, warnings.size(), warnings.toString());
	}

	@Test
	void cancellationStopsWithinOneStepAndFreesNativeMemory() {
		final long liveBefore = NativeObjects.live();
		final ImageSize size = new ImageSize(512, 512);
		final int[] prompt = answers.promptTokens(List.of("Generate an image of 512x512 according to the following " +
			"prompt:\nA ring"), List.of());
		final AtomicBoolean cancel = new AtomicBoolean();
		final AtomicInteger tokensAfterCancel = new AtomicInteger();
		final GenerationParams params = GenerationParams.defaults().withCfg(3.0).withSeed(1).withForcedImageSize(size)
			.withMaxNewTokens(UniRep.tokenCount(size));
		assertThrows(CancellationException.class, () -> answers.generate(prompt, params, new TokenListener() {

			@Override
			public void onToken(final int token, final int index) {
				if (cancel.get()) tokensAfterCancel.incrementAndGet();
				if (index == 100) cancel.set(true);
			}
		}, cancel::get));
		assertEquals(0, tokensAfterCancel.get(), "no token is produced after the cancel request");
		assertEquals(liveBefore, NativeObjects.live(), "cancelled generation freed its KV caches");
	}
}
