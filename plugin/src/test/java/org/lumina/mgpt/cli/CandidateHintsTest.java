package org.lumina.mgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.vq.UniRep;

/** Tests {@link CandidateHints}. */
class CandidateHintsTest {

	private final CandidateSizes candidates = CandidateSizes.forTargetSize(512);

	@Test
	void nearestPutsTheSameAspectRatioFirst() {
		final List<ImageSize> near = CandidateHints.nearest(new ImageSize(100, 100), candidates);
		assertEquals(CandidateHints.NEARBY, near.size());
		assertEquals(new ImageSize(512, 512), near.get(0));
		assertTrue(CandidateHints.nearest(new ImageSize(4000, 1000), candidates).get(0).width() == 1024);
	}

	@Test
	void candidatesPassUnchanged() {
		assertEquals(new ImageSize(576, 448), CandidateHints.checked("576x448", candidates));
	}

	@Test
	void mostTokens() {
		final int most = UniRep.tokenCount(CandidateHints.mostTokens(candidates));
		for (final ImageSize s : candidates.sizes()) {
			assertTrue(UniRep.tokenCount(s) <= most, s::toString);
		}
		assertTrue(candidates.sizes().stream().anyMatch(s -> UniRep.tokenCount(s) == most));
	}
}
