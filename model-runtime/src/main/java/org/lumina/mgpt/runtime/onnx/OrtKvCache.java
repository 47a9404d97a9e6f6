package org.lumina.mgpt.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The KV cache of one sequence, kept as the native {@code present.*} tensors of the previous
 * run and fed straight back as the next {@code past_key_values.*} inputs: no copy through the
 * Java heap. Before the first run it holds empty tensors of length 0.
 * <p>
 * NB: the previous {@link OrtSession.Result} may only be closed after the next run, since its
 * tensors are that run's inputs; {@link #advance} does exactly that.
 */
final class OrtKvCache implements AutoCloseable {

	private final OnnxTensor[] empty; // [layer * 2 + (0 key | 1 value)] shape [1, heads, 0, headDim]
	private final int numLayers;
	private OrtSession.Result previous; // holds present.* of the last run, or null before the first

	OrtKvCache(final OrtEnvironment environment, final OrtDecoderModel.Shape shape) throws OrtException {
		numLayers = shape.numLayers();
		empty = new OnnxTensor[2 * numLayers];
		final long[] dims = { 1, shape.numHeads(), 0, shape.headDim() };
		try {
			for (int i = 0; i < empty.length; i++) {
				empty[i] = shape.float16Cache()
					? OnnxTensor.createTensor(environment, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()), dims,
						OnnxJavaType.FLOAT16)
					: OnnxTensor.createTensor(environment, FloatBuffer.allocate(0), dims);
				NativeObjects.opened();
			}
		}
		catch (final OrtException e) {
			close();
			throw e;
		}
	}

	/** Puts the cache tensors into {@code inputs} under their {@code past_key_values.*} names. */
	void addInputs(final Map<String, OnnxTensor> inputs) {
		for (int layer = 0; layer < numLayers; layer++) {
			inputs.put(OrtDecoderModel.pastName(layer, "key"), tensor(layer, "key", 0));
			inputs.put(OrtDecoderModel.pastName(layer, "value"), tensor(layer, "value", 1));
		}
	}

	/** Takes the {@code present.*} outputs of {@code result} as the new cache, freeing the old one. */
	void advance(final OrtSession.Result result) {
		releasePrevious();
		previous = result;
		NativeObjects.opened();
	}

	@Override
	public void close() {
		releasePrevious();
		for (int i = 0; i < empty.length; i++) {
			if (empty[i] != null) {
				empty[i].close();
				empty[i] = null;
				NativeObjects.closed();
			}
		}
	}

	// -- Helper methods --

	private OnnxTensor tensor(final int layer, final String kind, final int offset) {
		if (previous == null) return empty[2 * layer + offset];
		final OnnxValue value = previous.get(OrtDecoderModel.presentName(layer, kind)).orElseThrow();
		return (OnnxTensor) value;
	}

	private void releasePrevious() {
		if (previous != null) {
			previous.close();
			previous = null;
			NativeObjects.closed();
		}
	}
}
