package org.lumina.mgpt.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The KV cache of one decoder call's rows (batch 1, or 2 for batched guidance), kept as the native
 * {@code present.*} tensors of the previous run and fed straight back as the next
 * {@code past_key_values.*} inputs: no copy through the Java heap at a step. Before the first run
 * it holds empty tensors of length 0; {@link #setRows} changes the batch size, which copies.
 * <p>
 * NB: the previous {@link OrtSession.Result} may only be closed after the next run, since its
 * tensors are that run's inputs; {@link #advance} does exactly that.
 */
final class OrtKvCache implements AutoCloseable {

	private final OrtEnvironment environment;
	private final int numLayers;
	private final String[] pastNames; // [layer * 2 + kind] past_key_values.*, fed back
	private final String[] presentNames; // [layer * 2 + kind] present.*, the outputs kept as the next cache
	private final Set<String> outputNames;
	private OnnxTensor[] owned; // [layer * 2 + (0 key | 1 value)] [rows, heads, length, headDim], or null
	private OrtSession.Result previous; // holds present.* of the last run, or null while owned is set
	private int rows = 1;

	OrtKvCache(final OrtEnvironment environment, final OrtDecoderModel.Shape shape) throws OrtException {
		this.environment = environment;
		this.numLayers = shape.numLayers();
		this.pastNames = OrtDecoderModel.cacheNames(numLayers, "past_key_values");
		this.presentNames = OrtDecoderModel.cacheNames(numLayers, "present");
		this.outputNames = Set.of(presentNames);
		final OnnxJavaType type = shape.float16Cache() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
		final long[] dims = { 1, shape.numHeads(), 0, shape.headDim() };
		owned = new OnnxTensor[2 * numLayers];
		try {
			for (int i = 0; i < owned.length; i++) owned[i] = directTensor(ByteBuffer.allocateDirect(0), dims, type);
		}
		catch (final OrtException e) {
			close();
			throw e;
		}
	}

	/** @return the batch size of the cache tensors */
	int rows() {
		return rows;
	}

	/** Puts the cache tensors into {@code inputs} under their {@code past_key_values.*} names. */
	void addInputs(final Map<String, OnnxTensor> inputs) {
		for (int i = 0; i < pastNames.length; i++) inputs.put(pastNames[i], tensor(i));
	}

	/** @return the names of the {@code present.*} outputs, which a call must request for {@link #advance} */
	Set<String> outputNames() {
		return outputNames;
	}

	/** Takes the {@code present.*} outputs of {@code result} as the new cache, freeing the old one. */
	void advance(final OrtSession.Result result) {
		release();
		previous = result;
		NativeObjects.opened();
	}

	/**
	 * Changes the batch size to {@code newRows}: the first rows keep their cache, added rows are
	 * zeros of the same length, which the caller must mask out. Every layer's cache is copied
	 * through the Java heap, so call it once per guided image, not per step.
	 * <p>
	 * NB: the copies live in direct buffers, which the garbage collector frees once their tensors
	 * are closed; the tensors themselves are closed deterministically.
	 */
	void setRows(final int newRows) throws OrtException {
		replaceEach(source -> withRows(source, newRows));
		rows = newRows;
	}

	/**
	 * Rebuilds every layer's cache with only the columns {@code kept} (ascending), in that order;
	 * copies through the Java heap as {@link #setRows} does, so call it seldom (when most columns
	 * are masked), never per step.
	 */
	void keepColumns(final int[] kept) throws OrtException {
		replaceEach(source -> withColumns(source, kept));
	}

	@Override
	public void close() {
		release();
	}

	// -- Helper methods --

	/** A copy of one cache tensor, changed. */
	@FunctionalInterface
	private interface TensorCopy {

		OnnxTensor copy(OnnxTensor source) throws OrtException;
	}

	/** Replaces every layer's key and value by {@code copy} of it; on failure the cache is unchanged. */
	private void replaceEach(final TensorCopy copy) throws OrtException {
		final OnnxTensor[] copies = new OnnxTensor[2 * numLayers];
		try {
			for (int i = 0; i < copies.length; i++) copies[i] = copy.copy(tensor(i));
		}
		catch (final OrtException e) {
			closeAll(copies);
			throw e;
		}
		release();
		owned = copies;
	}

	/** @return the cache tensor of layer {@code index / 2}, key ({@code index} even) or value */
	private OnnxTensor tensor(final int index) {
		if (owned != null) return owned[index];
		return (OnnxTensor) previous.get(presentNames[index]).orElseThrow();
	}

	private OnnxTensor withRows(final OnnxTensor source, final int newRows) throws OrtException {
		final long[] dims = source.getInfo().getShape(); // [rows, heads, length, headDim]
		final OnnxJavaType type = source.getInfo().type;
		final int rowBytes = Math.toIntExact(dims[1] * dims[2] * dims[3] * type.size);
		final ByteBuffer copy = ByteBuffer.allocateDirect(Math.multiplyExact(newRows, rowBytes)); // zero-filled
		if (rowBytes > 0) {
			final ByteBuffer data = source.getByteBuffer(); // NB: a heap copy; ONNX Runtime's Java API has no view
			data.limit((int) Math.min(newRows, dims[0]) * rowBytes);
			copy.put(data).rewind();
		}
		return directTensor(copy, new long[] { newRows, dims[1], dims[2], dims[3] }, type);
	}

	private OnnxTensor withColumns(final OnnxTensor source, final int[] kept) throws OrtException {
		final long[] dims = source.getInfo().getShape(); // [rows, heads, length, headDim]
		final OnnxJavaType type = source.getInfo().type;
		final int columnBytes = Math.toIntExact(dims[3] * type.size);
		final int blocks = Math.toIntExact(dims[0] * dims[1]); // one block of length columns per row and head
		final ByteBuffer copy = ByteBuffer.allocateDirect(Math.multiplyExact(blocks, kept.length * columnBytes));
		final ByteBuffer data = source.getByteBuffer(); // NB: a heap copy; ONNX Runtime's Java API has no view
		for (int block = 0; block < blocks; block++) {
			final int base = Math.toIntExact(block * dims[2] * columnBytes);
			for (final int column : kept) {
				data.limit(base + (column + 1) * columnBytes).position(base + column * columnBytes);
				copy.put(data);
			}
		}
		copy.rewind();
		return directTensor(copy, new long[] { dims[0], dims[1], kept.length, dims[3] }, type);
	}

	private OnnxTensor directTensor(final ByteBuffer data, final long[] dims, final OnnxJavaType type)
		throws OrtException
	{
		final OnnxTensor tensor = OnnxTensor.createTensor(environment, data.order(ByteOrder.nativeOrder()), dims, type);
		NativeObjects.opened();
		return tensor;
	}

	private void release() {
		if (previous != null) {
			previous.close();
			previous = null;
			NativeObjects.closed();
		}
		if (owned != null) closeAll(owned);
		owned = null;
	}

	private static void closeAll(final OnnxTensor[] tensors) {
		for (int i = 0; i < tensors.length; i++) {
			if (tensors[i] != null) {
				tensors[i].close();
				tensors[i] = null;
				NativeObjects.closed();
			}
		}
	}
}
