package org.lumina.mgpt.runtime.onnx;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.ModelException;

/**
 * One sequence on an {@link OrtDecoderModel}: batch 1, positions {@code 0, 1, …}, an all-ones
 * attention mask, and only the last position's logits computed when the graph allows it.
 */
final class OrtDecoderSession implements DecoderSession {

	private final OrtDecoderModel model;
	private final OrtEnvironment environment;
	private final OrtKvCache cache;
	private int numPositions;
	private boolean closed;

	OrtDecoderSession(final OrtDecoderModel model) {
		this.model = model;
		this.environment = model.sessions().environment();
		try {
			this.cache = new OrtKvCache(environment, model.shape());
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "cannot allocate the decoder's KV cache: " + e.getMessage(), e);
		}
	}

	@Override
	public void append(final int[] tokens, final float[] lastLogits) {
		checkOpen();
		final int vocab = model.vocabSize();
		if (tokens.length == 0) throw new IllegalArgumentException("append needs at least one token, got none");
		if (lastLogits.length != vocab) {
			throw new IllegalArgumentException("logits buffer must have vocab_size " + vocab + " entries, got " +
				lastLogits.length);
		}
		final Map<String, OnnxTensor> inputs = new HashMap<>();
		try {
			final int length = tokens.length;
			final long[] ids = new long[length];
			final long[] positions = new long[length];
			for (int i = 0; i < length; i++) {
				ids[i] = tokens[i];
				positions[i] = numPositions + i;
			}
			final long[] mask = new long[numPositions + length];
			Arrays.fill(mask, 1L);
			inputs.put("input_ids", longTensor(ids, 1, length));
			inputs.put("position_ids", longTensor(positions, 1, length));
			inputs.put("attention_mask", longTensor(mask, 1, mask.length));
			if (model.shape().hasNumLogitsToKeep()) inputs.put("num_logits_to_keep", longTensor(new long[] { 1 }));
			final Map<String, OnnxTensor> feed = new HashMap<>(inputs);
			cache.addInputs(feed);
			final long start = System.nanoTime();
			final OrtSession.Result result = model.session().run(feed);
			model.recordRun(System.nanoTime() - start);
			readLastLogits(result, lastLogits);
			cache.advance(result);
			numPositions += length;
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "decoder.onnx failed at position " + numPositions + ": " +
				e.getMessage(), e);
		}
		finally {
			for (final OnnxTensor t : inputs.values()) {
				t.close();
				NativeObjects.closed();
			}
		}
	}

	@Override
	public int numPositions() {
		return numPositions;
	}

	@Override
	public void close() {
		if (closed) return;
		closed = true;
		cache.close();
	}

	// -- Helper methods --

	private void checkOpen() {
		if (closed) throw new IllegalStateException("this decoder session is closed; open a new one with openSession()");
	}

	private void readLastLogits(final OrtSession.Result result, final float[] lastLogits) throws OrtException {
		final OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
		final long[] shape = logits.getInfo().getShape(); // [1, K, vocab]
		final FloatBuffer buffer = logits.getFloatBuffer();
		buffer.position((int) ((shape[1] - 1) * shape[2]));
		buffer.get(lastLogits);
	}

	private OnnxTensor longTensor(final long[] values, final long... shape) throws OrtException {
		final OnnxTensor tensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
		NativeObjects.opened();
		return tensor;
	}
}
