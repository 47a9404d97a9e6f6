package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;

import org.lumina.mgpt.runtime.DecoderSession;

/**
 * What speculative decoding asks of {@link DecoderSession#rewind}, for either KV layout: drafts
 * appended, partly forgotten (twice), new tokens appended, then everything forgotten; the logits
 * must equal those of fresh sessions fed only the kept tokens.
 */
final class RewindScenario {

	/** The prompt both tests start from. */
	static final int[] PROMPT = { 0, 5, 6, 7, 8, 9 };

	private RewindScenario() {}

	/**
	 * @param session the session under test, empty
	 * @param vocab the model's vocabulary size
	 * @param fresh opens the sessions it is compared with
	 * @param afterDrafts run once the drafts are appended, before any rewind (layout checks)
	 * @param afterRewinds run after the partial rewinds and the appended tokens are checked
	 */
	static void check(final DecoderSession session, final int vocab, final Supplier<DecoderSession> fresh,
		final Runnable afterDrafts, final Runnable afterRewinds)
	{
		final float[] actual = new float[2 * vocab], expected = new float[2 * vocab];
		session.append(PROMPT, new float[vocab]);
		session.append(new int[] { 10, 11, 12, 13 }, new float[4 * vocab]);
		afterDrafts.run();
		session.rewind(PROMPT.length + 2);
		assertEquals(PROMPT.length + 2, session.numPositions());
		session.rewind(PROMPT.length + 1);
		session.append(new int[] { 20, 21 }, actual);
		try (DecoderSession kept = fresh.get()) {
			kept.append(concat(PROMPT, new int[] { 10, 20, 21 }), expected);
			assertEquals(kept.numPositions(), session.numPositions());
		}
		DecoderParityTest.assertClose(expected, actual, "after rewind");
		afterRewinds.run();
		assertThrows(IllegalArgumentException.class, () -> session.rewind(session.numPositions() + 1));
		assertThrows(IllegalArgumentException.class, () -> session.rewind(-1));
		session.rewind(0);
		session.append(new int[] { 30, 31 }, actual);
		try (DecoderSession empty = fresh.get()) {
			empty.append(new int[] { 30, 31 }, expected);
		}
		DecoderParityTest.assertClose(expected, actual, "after rewind to 0");
	}

	static int[] concat(final int[] a, final int[] b) {
		final int[] out = new int[a.length + b.length];
		System.arraycopy(a, 0, out, 0, a.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
