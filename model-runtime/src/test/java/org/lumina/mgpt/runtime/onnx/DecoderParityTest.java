package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;

/**
 * The decoder run by ONNX Runtime through {@link OrtDecoderSession} (prefill, then one token at a
 * time with the native KV cache) against the exporter's torch implementation: the conditional
 * stream of a prompt with an image, and the unconditional CFG stream that starts at the
 * start-of-image token with positions from 0.
 */
class DecoderParityTest {

	private static final float TOLERANCE = 1e-4f;

	static List<Path> bundles() {
		return TestBundles.withReferences();
	}

	@ParameterizedTest
	@MethodSource("bundles")
	void logitsMatchTorchForPrefillAndTwentyDecodeSteps(final Path bundle) {
		final List<ReferenceDumps.DecoderCase> cases = new ReferenceDumps(bundle).decoderCases();
		final Set<String> names = cases.stream().map(ReferenceDumps.DecoderCase::name).collect(Collectors.toSet());
		assertEquals(Set.of("conditional", "unconditional"), names, "reference cases of " + bundle);
		try (Model model = Model.open(bundle, ModelOptions.cpu())) {
			for (final ReferenceDumps.DecoderCase reference : cases) {
				assertTrue(reference.steps().length >= 20, reference.name() + " has at least 20 decode steps");
				assertEquals(reference.steps().length + 1, reference.logits().length, reference.name() + " rows");
				final float[] logits = new float[model.decoder().vocabSize()];
				try (DecoderSession session = model.decoder().openSession()) {
					session.append(reference.inputIds(), logits);
					assertClose(reference.logits()[0], logits, reference.name() + " prefill");
					for (int k = 0; k < reference.steps().length; k++) {
						session.append(new int[] { reference.steps()[k] }, logits);
						assertClose(reference.logits()[k + 1], logits, reference.name() + " step " + (k + 1));
					}
					assertEquals(reference.inputIds().length + reference.steps().length, session.numPositions());
				}
			}
		}
	}

	static void assertClose(final float[] expected, final float[] actual, final String what) {
		assertEquals(expected.length, actual.length, what + ": length");
		float worst = 0;
		int at = -1;
		for (int i = 0; i < expected.length; i++) {
			final float diff = Math.abs(expected[i] - actual[i]);
			if (!(diff <= worst)) {
				worst = diff;
				at = i;
			}
		}
		assertTrue(worst <= TOLERANCE, what + ": max abs diff " + worst + " at index " + at + " exceeds " + TOLERANCE);
	}
}
