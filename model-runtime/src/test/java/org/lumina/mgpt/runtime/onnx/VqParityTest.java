package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;
import org.lumina.mgpt.runtime.vq.CodeGrid;

/** The VQ encoder and decoder graphs in ONNX Runtime against the exporter's torch VQGAN. */
class VqParityTest {

	/** Codes are compared only where torch's best and second-best distances differ by more than this. */
	private static final float MARGIN = 1e-4f;

	static List<Path> bundles() {
		return TestBundles.withReferences();
	}

	@ParameterizedTest
	@MethodSource("bundles")
	void codesAndDecodedPixelsMatchTorch(final Path bundle) {
		final List<ReferenceDumps.VqCase> cases = new ReferenceDumps(bundle).vqCases();
		assertFalse(cases.isEmpty(), "VQ reference cases of " + bundle);
		try (Model model = Model.open(bundle, ModelOptions.cpu())) {
			for (final ReferenceDumps.VqCase reference : cases) {
				final int height = (int) reference.pixelShape()[2];
				final int width = (int) reference.pixelShape()[3];
				final CodeGrid codes = model.vqEncoder().encode(reference.pixels(), height, width);
				assertEquals(reference.codeShape()[1], codes.height(), reference.name() + " code rows");
				assertEquals(reference.codeShape()[2], codes.width(), reference.name() + " code columns");
				int compared = 0;
				for (int i = 0; i < reference.codes().length; i++) {
					if (reference.margin()[i] > MARGIN) {
						assertEquals(reference.codes()[i], codes.codes()[i], reference.name() + " code at index " + i);
						compared++;
					}
				}
				assertTrue(compared > reference.codes().length / 2, reference.name() + ": too few unambiguous codes (" +
					compared + ") for a meaningful check");

				final int[] torchCodes = new int[reference.codes().length];
				for (int i = 0; i < torchCodes.length; i++) torchCodes[i] = (int) reference.codes()[i];
				final float[] decoded = model.vqDecoder().decode(new CodeGrid(codes.height(), codes.width(), torchCodes));
				DecoderParityTest.assertClose(reference.decoded(), decoded, reference.name() + " decoded pixels");
			}
		}
	}
}
