package org.lumina.mgpt.runtime.onnx;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Collection;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.lumina.mgpt.runtime.ModelException;

/**
 * What every decoder session does around ONNX Runtime's {@code run}, whatever its
 * {@link org.lumina.mgpt.runtime.bundle.KvLayout}: making the small input tensors (counted in
 * {@link NativeObjects}), reading the logits back and naming a failure.
 */
final class DecoderCalls {

	private DecoderCalls() {}

	/** @return an int64 tensor of {@code values}; the caller closes it with {@link #close} */
	static OnnxTensor longTensor(final OrtEnvironment environment, final long[] values, final long... shape)
		throws OrtException
	{
		final OnnxTensor tensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
		NativeObjects.opened();
		return tensor;
	}

	/** @return an int32 tensor of {@code values}; the caller closes it with {@link #close} */
	static OnnxTensor intTensor(final OrtEnvironment environment, final int[] values, final long... shape)
		throws OrtException
	{
		final OnnxTensor tensor = OnnxTensor.createTensor(environment, IntBuffer.wrap(values), shape);
		NativeObjects.opened();
		return tensor;
	}

	/** Closes tensors made by {@link #longTensor} or {@link #intTensor}. */
	static void close(final Collection<OnnxTensor> tensors) {
		for (final OnnxTensor tensor : tensors) {
			tensor.close();
			NativeObjects.closed();
		}
	}

	/**
	 * Copies each row's logits of its last {@code into[row].length / vocab} positions into
	 * {@code into[row]}. A row's last positions are the output's last positions (rows are
	 * left-padded or of one length), whether the graph kept K of them or all. NB:
	 * {@code getFloatBuffer} copies the whole output to the heap, which is small when the graph
	 * keeps only the wanted positions ({@code num_logits_to_keep}).
	 */
	static void readLogits(final OrtSession.Result result, final float[][] into) throws OrtException {
		final OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
		final long[] shape = logits.getInfo().getShape(); // [rows, K or length, vocab]
		final FloatBuffer buffer = logits.getFloatBuffer();
		for (int row = 0; row < into.length; row++) {
			final long positions = into[row].length / shape[2];
			buffer.position(Math.toIntExact(((row + 1) * shape[1] - positions) * shape[2]));
			buffer.get(into[row]);
		}
	}

	/** @return the error of a failed run, naming the bundle and the position it started at */
	static ModelException failure(final OrtDecoderModel model, final int position, final OrtException e) {
		return new ModelException(model.bundle(), "decoder.onnx failed at position " + position + ": " + e.getMessage(),
			e);
	}
}
