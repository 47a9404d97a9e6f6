package org.lumina.mgpt.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * The KV cache of the {@code shared_buffer} layout: per layer, one direct buffer for the keys and
 * one for the values, {@code [rows, heads, capacity, headDim]}, wrapped (not copied) as ONNX tensors
 * that are bound both as {@code past_key_values.*} inputs and as pinned {@code present.*} outputs,
 * so that ONNX Runtime's GroupQueryAttention writes each call's new positions into them in place.
 * Which positions of a row are valid is the caller's business (a length per row); positions past
 * it hold stale values that the next append overwrites.
 * <p>
 * NB: capacity grows by doubling, which copies every row's valid positions once into a new
 * buffer (old and new are alive together for that moment); so a sequence of n positions is
 * copied about log2(n / initial capacity) times in all, against once per step in the
 * {@code concat} layout. Adding a row copies the same way. A caller that knows the final length
 * can {@link #reserve} it up front.
 */
final class SharedKvBuffer implements AutoCloseable {

	private final OrtEnvironment environment;
	private final int numLayers;
	private final int numHeads;
	private final int headDim;
	private final OnnxJavaType type;
	private final String[] pastNames; // [layer * 2 + kind] the inputs it is bound as
	private final String[] presentNames; // [layer * 2 + kind] the pinned outputs it is bound as
	private int rows;
	private int capacity;
	private ByteBuffer[] buffers; // [layer * 2 + (0 key | 1 value)] [rows, heads, capacity, headDim]
	private OnnxTensor[] whole; // the same layout over all rows
	private OnnxTensor[][] single; // [row][layer * 2 + kind] [1, heads, capacity, headDim] over one row

	SharedKvBuffer(final OrtEnvironment environment, final OrtDecoderModel.Shape shape, final int rows,
		final int capacity) throws OrtException
	{
		this.environment = environment;
		this.numLayers = shape.numLayers();
		this.numHeads = shape.numHeads();
		this.headDim = shape.headDim();
		this.type = shape.float16Cache() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
		this.pastNames = OrtDecoderModel.cacheNames(numLayers, "past_key_values");
		this.presentNames = OrtDecoderModel.cacheNames(numLayers, "present");
		allocate(rows, capacity, null);
	}

	/** @return the rows the buffer holds */
	int rows() {
		return rows;
	}

	/** @return the positions each row can hold before the buffer grows */
	int capacity() {
		return capacity;
	}

	/**
	 * Makes room for {@code newRows} rows of {@code positions} positions, keeping the first
	 * {@code lengths[row]} positions of every existing row; copies only when it grows.
	 */
	void reserve(final int newRows, final int positions, final int[] lengths) throws OrtException {
		if (newRows <= rows && positions <= capacity) return;
		allocate(Math.max(newRows, rows), positions <= capacity ? capacity : Math.max(positions, 2 * capacity),
			lengths);
	}

	/**
	 * Binds the buffer as the {@code past_key_values.*} inputs and pinned {@code present.*} outputs
	 * of a call over {@code count} rows from {@code first}: the whole buffer, or one row's view.
	 */
	void bind(final int first, final int count, final Map<String, OnnxTensor> inputs,
		final Map<String, OnnxTensor> outputs)
	{
		final OnnxTensor[] tensors;
		if (first == 0 && count == rows) tensors = whole;
		else if (count == 1) tensors = single[first];
		else throw new IllegalArgumentException("rows " + first + ".." + (first + count - 1) + " of " + rows +
			" are not one row or all of them");
		for (int i = 0; i < tensors.length; i++) {
			inputs.put(pastNames[i], tensors[i]);
			outputs.put(presentNames[i], tensors[i]);
		}
	}

	/**
	 * The memory ONNX Runtime reads and writes, for tests: layer {@code layer}'s keys
	 * ({@code kind} 0) or values (1), {@code [rows, heads, capacity, headDim]}. Valid until the
	 * buffer grows or closes.
	 */
	ByteBuffer buffer(final int layer, final int kind) {
		return buffers[2 * layer + kind].duplicate().order(ByteOrder.nativeOrder());
	}

	@Override
	public void close() {
		closeTensors(whole, single);
		whole = null;
		single = null;
		buffers = null;
	}

	// -- Helper methods --

	/** NB: the old buffer and its tensors stay in use until the new ones all exist, so a failure changes nothing. */
	private void allocate(final int newRows, final int newCapacity, final int[] lengths) throws OrtException {
		final int rowBytes = Math.multiplyExact(Math.multiplyExact(numHeads, newCapacity), headDim * type.size);
		final ByteBuffer[] fresh = new ByteBuffer[2 * numLayers];
		final OnnxTensor[] freshWhole = new OnnxTensor[2 * numLayers];
		final OnnxTensor[][] freshSingle = new OnnxTensor[newRows][2 * numLayers];
		try {
			for (int i = 0; i < fresh.length; i++) {
				fresh[i] = ByteBuffer.allocateDirect(Math.multiplyExact(newRows, rowBytes)).order(ByteOrder.nativeOrder());
				if (buffers != null) copyValid(buffers[i], fresh[i], newCapacity, lengths);
				freshWhole[i] = wrap(fresh[i], newRows, newCapacity);
				for (int row = 0; row < newRows; row++) {
					freshSingle[row][i] = wrap(fresh[i].duplicate().position(row * rowBytes).limit((row + 1) * rowBytes)
						.slice(), 1, newCapacity);
				}
			}
		}
		catch (final OrtException | RuntimeException e) {
			closeTensors(freshWhole, freshSingle);
			throw e;
		}
		closeTensors(whole, single);
		buffers = fresh;
		rows = newRows;
		capacity = newCapacity;
		whole = freshWhole;
		single = freshSingle;
	}

	/** Copies each old row's first {@code lengths[row]} positions of every head into {@code to}. */
	private void copyValid(final ByteBuffer from, final ByteBuffer to, final int newCapacity, final int[] lengths) {
		final int positionBytes = headDim * type.size;
		for (int row = 0; row < rows; row++) {
			for (int head = 0; head < numHeads; head++) {
				final int source = (row * numHeads + head) * capacity * positionBytes;
				final int target = (row * numHeads + head) * newCapacity * positionBytes;
				to.put(target, from, source, lengths[row] * positionBytes);
			}
		}
	}

	private OnnxTensor wrap(final ByteBuffer data, final int tensorRows, final int tensorCapacity) throws OrtException {
		final OnnxTensor tensor = OnnxTensor.createTensor(environment, data.order(ByteOrder.nativeOrder()), new long[] {
			tensorRows, numHeads, tensorCapacity, headDim }, type);
		NativeObjects.opened();
		return tensor;
	}

	private static void closeTensors(final OnnxTensor[] all, final OnnxTensor[][] perRow) {
		if (all == null) return;
		for (final OnnxTensor tensor : all) closeOne(tensor);
		for (final OnnxTensor[] row : perRow) {
			for (final OnnxTensor tensor : row) closeOne(tensor);
		}
	}

	private static void closeOne(final OnnxTensor tensor) {
		if (tensor == null) return;
		tensor.close();
		NativeObjects.closed();
	}
}
