package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.bundle.KvLayout;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;

/** Tests {@link MemoryEstimate}. */
class MemoryEstimateTest {

	private final ModelManifest tiny = ManifestReader.read(TestBundles.tiny());

	@Test
	void estimateAddsWeightsAndTheLargestRequestsCache() {
		final MemoryEstimate estimate = MemoryEstimate.of(tiny);
		assertEquals(2L * 2 * 4 * 16 * 4, estimate.kvBytesPerToken(), "keys + values x layers x heads x head_dim x fp32");
		assertEquals(1092, estimate.guidanceTokens(), "the largest 512-list image: 256x1024 = 64 x 17 + 4 tokens");
		assertEquals(2 * 1092 + 512, estimate.largestRequestTokens());
		assertTrue(estimate.weightBytes() > 7_000_000 && estimate.weightBytes() < 12_000_000, "" + estimate
			.weightBytes());
		assertEquals(estimate.weightBytes() + 2 * 1024L * (2 * 1092 + 512 + 1092), estimate.totalBytes());
	}

	@Test
	void aModelThatDoesNotFitIsRefusedWithBothNumbersAndTheOptions() {
		final MemoryEstimate estimate = MemoryEstimate.of(tiny);
		estimate.requireFits(tiny, estimate.totalBytes());
		final ModelException e = assertThrows(ModelException.class, () -> estimate.requireFits(tiny, 1L << 20));
		assertTrue(e.getMessage().contains("needs about 0.0 GiB") && e.getMessage().contains("only 0.0 GiB is free") &&
			e.getMessage().contains("smaller-precision bundle"), e.getMessage());
	}

	@Test
	void aModelThatDoesNotFitOnTheGpuIsRefusedWithBothNumbersAndTheOptions() {
		final MemoryEstimate estimate = new MemoryEstimate(14L << 30, 512L << 10, 2 * 2404 + 512, 2404, KvLayout.CONCAT);
		estimate.requireFitsOnGpu(tiny, 0, estimate.totalBytes());
		final ModelException e = assertThrows(ModelException.class, () -> estimate.requireFitsOnGpu(tiny, 1, 8L << 30));
		assertTrue(e.getMessage().contains("of GPU memory (weights 14.0 GiB") && e.getMessage()
			.contains("only 8.0 GiB is free on GPU 1") && e.getMessage().contains("run on the CPU (device cpu)") && e
				.getMessage().contains("close other models"), e.getMessage());
	}

	@Test
	void aSevenBillionParameterShapeNeedsMoreThanItsWeights() {
		// 7B at 768: 32 layers x 32 heads x 128 x fp16 = 512 KiB per position (spec §6.1)
		final MemoryEstimate seven = new MemoryEstimate(14_000_000_000L, 2L * 32 * 32 * 128 * 2, 2 * 2404 + 512, 2404,
			KvLayout.CONCAT);
		assertEquals(524_288, seven.kvBytesPerToken());
		assertTrue(seven.totalBytes() > 14_000_000_000L + 7_000_000_000L, "" + seven.totalBytes());
	}

	/**
	 * {@code shared_buffer}: two rows as long as the conditional stream, up to twice that while the
	 * buffer doubles, plus the half-size buffer during the copy; one row without guidance.
	 */
	@Test
	void theSharedBufferLayoutCountsRowsOfTheConditionalLengthAndTheGrowth() {
		final long perToken = 1024;
		final MemoryEstimate guided = new MemoryEstimate(1000, perToken, 2 * 1092 + 512, 1092, KvLayout.SHARED_BUFFER);
		assertEquals(1000 + 3 * 2 * perToken * (2 * 1092 + 512), guided.totalBytes());
		final MemoryEstimate plain = new MemoryEstimate(1000, perToken, 512, 0, KvLayout.SHARED_BUFFER);
		assertEquals(1000 + 3 * perToken * 512, plain.totalBytes());
	}
}
