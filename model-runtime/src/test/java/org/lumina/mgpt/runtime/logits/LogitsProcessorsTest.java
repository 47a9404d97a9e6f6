package org.lumina.mgpt.runtime.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY;
import static org.lumina.mgpt.runtime.GenerationFixtures.TINY_SIZES;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.GenerationParams;
import org.lumina.mgpt.runtime.ImageSize;

/** Tests {@link LogitsProcessors}. */
class LogitsProcessorsTest {

	/** {@link LogitsProcessors#chain}: every processor, in the documented order. */
	@Test
	void testFullChainOrder() {
		final GenerationParams params = GenerationParams.defaults().withCfg(4).withTemperature(0.7).withTopP(0.9)
			.withForcedImageSize(new ImageSize(64, 32));
		assertEquals(List.of(ClassifierFreeGuidance.class, ForcedTokens.class, ImageStructureConstraint.class,
			StatusAwareTopK.class, Temperature.class, TopP.class), classes(params));
		final ForcedTokens forced = (ForcedTokens) LogitsProcessors.chain(params, TINY, TINY_SIZES).get(1);
		assertArrayEquals(new int[] { TINY.imageStart(), TINY.sizeToken(32), TINY.sizeToken(64) }, forced.prefix());
	}

	/** {@link LogitsProcessors#chain}: defaults (cfg 1, temperature 1, top-p 1) keep only the constraints and top-k. */
	@Test
	void testDefaultChain() {
		assertEquals(List.of(ImageStructureConstraint.class, StatusAwareTopK.class), classes(GenerationParams.defaults()));
	}

	/** {@link LogitsProcessors#chain}: greedy leaves out temperature and top-p. */
	@Test
	void testGreedyChain() {
		assertEquals(List.of(ClassifierFreeGuidance.class, ImageStructureConstraint.class, StatusAwareTopK.class),
			classes(GenerationParams.defaults().withCfg(3).withTemperature(0).withTopP(0.5)));
	}

	/** {@link LogitsProcessors#apply}: guidance sees raw logits, before top-k and temperature. */
	@Test
	void testApplyOrder() {
		final GenerationParams params = GenerationParams.defaults().withCfg(2).withTextTopK(1).withTemperature(0.5);
		final SequenceState state = StatusAwareTopKTest.text();
		final float[] logits = new float[48];
		final float[] unconditional = new float[48];
		logits[40] = 3; // conditional favours 40
		logits[41] = 2;
		unconditional[40] = 3; // guidance: 2*(3-3)+3 = 3 for 40, 2*(2-0)+0 = 4 for 41
		state.setUnconditionalLogits(unconditional);
		LogitsProcessors.apply(LogitsProcessors.chain(params, TINY, TINY_SIZES), state, logits);
		for (int i = 0; i < logits.length; i++) {
			assertEquals(i == 41 ? 8f : Float.NEGATIVE_INFINITY, logits[i], "id " + i);
		}
	}

	static List<Class<?>> classes(final GenerationParams params) {
		return LogitsProcessors.chain(params, TINY, TINY_SIZES).stream().<Class<?>> map(Object::getClass).toList();
	}
}
