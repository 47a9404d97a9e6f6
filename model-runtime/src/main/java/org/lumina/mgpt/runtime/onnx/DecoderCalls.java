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
 * {@link org.lumina.mgpt.runtime.bundle.KvLayout}: checking the caller's arrays, making the small
 * input tensors (counted in {@link NativeObjects}), reading the logits back and naming a failure.
 */
final class DecoderCalls {

	private DecoderCalls() {}

	/** Refuses an empty chunk or a logits array that is not a whole number of vocabulary rows. */
	static void checkArguments(final int[] tokens, final float[] logits, final int vocabSize) {
		if (tokens.length == 0) throw new IllegalArgumentException("append needs at least one token, got none");
		if (logits.length != vocabSize) {
			throw new IllegalArgumentException("logits buffer must have vocab_size " + vocabSize + " entries, got " +
				logits.length);
		}
	}

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
	 * Copies each row's last-position logits ({@code logits} [rows, K, vocab]) into
	 * {@code lastLogits[row]}. NB: {@code getFloatBuffer} copies the whole output to the heap, which
	 * is small since the graph keeps only the last position.
	 */
	static void readLastLogits(final OrtSession.Result result, final float[][] lastLogits) throws OrtException {
		final OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
		final long[] shape = logits.getInfo().getShape(); // [rows, K, vocab]
		final FloatBuffer buffer = logits.getFloatBuffer();
		for (int row = 0; row < lastLogits.length; row++) {
			buffer.position((int) (((row + 1) * shape[1] - 1) * shape[2]));
			buffer.get(lastLogits[row]);
		}
	}

	/** @return the error of a failed run, naming the bundle and the position it started at */
	static ModelException failure(final OrtDecoderModel model, final int position, final OrtException e) {
		return new ModelException(model.bundle(), "decoder.onnx failed at position " + position + ": " + e.getMessage(),
			e);
	}
}
