package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests the status text of {@link StatusProgress}. */
class StatusProgressTest {

	@Test
	void statusSaysTokensRateAndTimeLeft() {
		assertEquals("depth: generating: 250 of at most 1100 tokens, 25.0 tokens/s, at most 34 s left", StatusProgress
			.describe("depth: generating", 250, 1100, 10_000_000_000L));
		assertEquals("t2i: generating: 100 of at most 2421 tokens, 1.0 tokens/s, at most 38 min left", StatusProgress
			.describe("t2i: generating", 100, 2421, 100_000_000_000L));
		assertEquals("t2i: generating: 10 of at most 9000 tokens, 0.1 tokens/s, at most 25.0 h left", StatusProgress
			.describe("t2i: generating", 10, 9000, 100_000_000_000L));
		assertEquals("depth: encoding", StatusProgress.describe("depth: encoding", 0, 1, 5_000_000_000L));
	}
}
