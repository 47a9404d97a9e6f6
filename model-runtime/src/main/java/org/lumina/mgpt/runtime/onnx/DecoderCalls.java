package org.lumina.mgpt.runtime.onnx;

import java.nio.FloatBuffer;

import ai.onnxruntime.OrtException;

import org.lumina.mgpt.runtime.ModelException;

/**
 * What every decoder session does around ONNX Runtime's {@code run}, whatever its
 * {@link org.lumina.mgpt.runtime.bundle.KvLayout}: how many positions' logits a call keeps,
 * reading them back from the pinned output ({@link StepTensors}) and naming a failure.
 */
final class DecoderCalls {

	private DecoderCalls() {}

	/** @return how many last positions' logits the call must keep: the most any row wants, at least 1 */
	static int positionsToKeep(final float[][] logits, final int vocab) {
		int keep = 1;
		for (final float[] rowLogits : logits) keep = Math.max(keep, rowLogits.length / vocab);
		return keep;
	}

	/**
	 * Copies each row's logits of its last {@code into[row].length / vocab} positions into
	 * {@code into[row]}. A row's last positions are the output's last positions (rows are
	 * left-padded or of one length), whether the graph kept K of them or all.
	 *
	 * @param logits the output {@code [rows, kept, vocab]}
	 */
	static void readLogits(final FloatBuffer logits, final int kept, final int vocab, final float[][] into) {
		for (int row = 0; row < into.length; row++) {
			final int positions = into[row].length / vocab;
			logits.get(((row + 1) * kept - positions) * vocab, into[row]);
		}
	}

	/** @return the error of a failed run, naming the bundle and the position it started at */
	static ModelException failure(final OrtDecoderModel model, final int position, final OrtException e) {
		return new ModelException(model.bundle(), "decoder.onnx failed at position " + position + ": " + e.getMessage(),
			e);
	}
}
