package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Tests {@link GenerationParams}. */
class GenerationParamsTest {

	/** {@link GenerationParams#defaults()}: the reference function defaults. */
	@Test
	void testDefaults() {
		final GenerationParams p = GenerationParams.defaults();
		assertEquals(1.0, p.cfg());
		assertEquals(2000, p.imageTopK());
		assertEquals(10, p.textTopK());
		assertEquals(1.0, p.temperature());
		assertEquals(1.0, p.topP());
		assertEquals(8192, p.maxNewTokens());
		assertNull(p.forcedImageSize());
		assertFalse(p.guidance());
		assertFalse(p.greedy());
		assertEquals(0, p.jacobiWindow());
		assertFalse(p.jacobi());
	}

	/** The withers change one value each. */
	@Test
	void testWithers() {
		final GenerationParams p = GenerationParams.defaults().withCfg(4).withImageTopK(200).withTextTopK(5)
			.withTemperature(0).withTopP(0.9).withMaxNewTokens(100).withSeed(42).withForcedImageSize(new ImageSize(512,
				384)).withMaxPositions(4096).withJacobiWindow(8);
		assertEquals(new GenerationParams(4, 200, 5, 0, 0.9, 100, 42, new ImageSize(512, 384), 4096, 8), p);
		assertTrue(p.jacobi());
		assertTrue(p.guidance());
		assertTrue(p.greedy());
	}

	/** {@link GenerationParams#GenerationParams}: messages name the parameter, its range and the value. */
	@Test
	void testValidation() {
		final GenerationParams d = GenerationParams.defaults();
		assertMessage(() -> d.withCfg(-0.5), "cfg must be", ">= 0", "-0.5");
		assertMessage(() -> d.withCfg(Double.NaN), "cfg must be", "NaN");
		assertMessage(() -> d.withImageTopK(0), "imageTopK must be >= 1, got 0");
		assertMessage(() -> d.withTextTopK(-3), "textTopK must be >= 1, got -3");
		assertMessage(() -> d.withTemperature(-1), "temperature must be", "0 = greedy", "-1.0");
		assertMessage(() -> d.withTopP(0), "topP must be in (0, 1]", "got 0.0");
		assertMessage(() -> d.withTopP(1.01), "topP must be in (0, 1]", "got 1.01");
		assertMessage(() -> d.withMaxNewTokens(0), "maxNewTokens must be >= 1, got 0");
		assertMessage(() -> d.withForcedImageSize(new ImageSize(500, 512)), "forcedImageSize", "multiples of 32",
			"500x512");
		assertMessage(() -> d.withMaxPositions(-1), "maxPositions must be >= 0", "got -1");
		assertMessage(() -> d.withJacobiWindow(-2), "jacobiWindow must be >= 0", "got -2");
	}

	static void assertMessage(final Executable executable, final String... parts) {
		final String message = assertThrows(IllegalArgumentException.class, executable).getMessage();
		for (final String part : parts) assertTrue(message.contains(part), message + " should contain " + part);
	}
}
