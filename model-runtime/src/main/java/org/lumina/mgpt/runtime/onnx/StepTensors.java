package org.lumina.mgpt.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * The small tensors of one session's decoder calls (token ids, positions, mask, lengths, the
 * logits output), kept from call to call: each name has one direct buffer, which grows when a
 * call needs more, and one tensor over it (no copy), made again only when its shape changes. A
 * decode step of the same shape as the last one rewrites the buffers and creates no native object
 * and no garbage; one whose shape changed (a mask one column longer) creates a tensor over the
 * same buffer, which copies nothing either. Every tensor is counted in {@link NativeObjects}.
 * <p>
 * NB: ONNX Runtime reads (and, for an output, writes) the buffer when the call runs, so a tensor
 * returned here holds what its buffer holds then; it stays valid until the next request for the
 * same name with another shape, or {@link #close}. Not thread-safe: one session's calls only.
 */
final class StepTensors implements AutoCloseable {

	private static final long[] SCALAR = {};

	/** One name's buffer, a typed view of it, and the tensor over its first {@code shape} elements. */
	private static final class Slot {

		ByteBuffer bytes; // direct, native order
		LongBuffer longs; // one of these three views bytes, by the slot's type
		IntBuffer ints;
		FloatBuffer floats;
		OnnxTensor tensor; // over bytes, or null
		long[] shape = SCALAR;
	}

	private final OrtEnvironment environment;
	private final Map<String, Slot> slots = new HashMap<>();

	StepTensors(final OrtEnvironment environment) {
		this.environment = environment;
	}

	/** @return the int64 tensor {@code name} of {@code shape}, holding {@code values[0 .. count)} */
	OnnxTensor longs(final String name, final long[] values, final int count, final long... shape) throws OrtException {
		final Slot slot = slot(name, OnnxJavaType.INT64, shape);
		slot.longs.put(0, values, 0, count);
		return slot.tensor;
	}

	/** @return the int32 tensor {@code name} of {@code shape}, holding {@code values[0 .. count)} */
	OnnxTensor ints(final String name, final int[] values, final int count, final long... shape) throws OrtException {
		final Slot slot = slot(name, OnnxJavaType.INT32, shape);
		slot.ints.put(0, values, 0, count);
		return slot.tensor;
	}

	/** @return the int64 scalar tensor {@code name} (shape {@code []}) holding {@code value} */
	OnnxTensor longScalar(final String name, final long value) throws OrtException {
		final Slot slot = slot(name, OnnxJavaType.INT64, SCALAR);
		slot.longs.put(0, value);
		return slot.tensor;
	}

	/** @return the int32 scalar tensor {@code name} (shape {@code []}) holding {@code value} */
	OnnxTensor intScalar(final String name, final int value) throws OrtException {
		final Slot slot = slot(name, OnnxJavaType.INT32, SCALAR);
		slot.ints.put(0, value);
		return slot.tensor;
	}

	/**
	 * @return the float32 tensor {@code name} of {@code shape}, for a pinned output: its values are
	 *         undefined until a call writes them; read them with {@link #floats(String)}
	 */
	OnnxTensor floatOutput(final String name, final long... shape) throws OrtException {
		return slot(name, OnnxJavaType.FLOAT, shape).tensor;
	}

	/**
	 * @return the values of the float32 tensor {@code name}, row-major from index 0; a view that
	 *         stays valid until the tensor is made again or closed (use absolute gets)
	 */
	FloatBuffer floats(final String name) {
		return slots.get(name).floats;
	}

	/** Closes every tensor; the buffers go to the garbage collector. Idempotent. */
	@Override
	public void close() {
		for (final Slot slot : slots.values()) closeTensor(slot);
		slots.clear();
	}

	// -- Helper methods --

	/** @return the slot of {@code name} with a tensor of {@code shape}, (re)made and grown as needed */
	private Slot slot(final String name, final OnnxJavaType type, final long[] shape) throws OrtException {
		Slot slot = slots.get(name);
		if (slot == null) {
			slot = new Slot();
			slots.put(name, slot);
		}
		if (slot.tensor != null && Arrays.equals(slot.shape, shape)) return slot;
		closeTensor(slot);
		final int bytes = Math.toIntExact(Math.multiplyExact(elements(shape), (long) type.size));
		if (slot.bytes == null || slot.bytes.capacity() < bytes) {
			final int capacity = Math.max(bytes, slot.bytes == null ? 0 : 2 * slot.bytes.capacity());
			slot.bytes = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
			slot.longs = type == OnnxJavaType.INT64 ? slot.bytes.asLongBuffer() : null;
			slot.ints = type == OnnxJavaType.INT32 ? slot.bytes.asIntBuffer() : null;
			slot.floats = type == OnnxJavaType.FLOAT ? slot.bytes.asFloatBuffer() : null;
		}
		slot.tensor = OnnxTensor.createTensor(environment, slot.bytes.duplicate().limit(bytes), shape, type);
		NativeObjects.opened();
		slot.shape = shape.clone();
		return slot;
	}

	private static void closeTensor(final Slot slot) {
		if (slot.tensor == null) return;
		slot.tensor.close();
		slot.tensor = null;
		NativeObjects.closed();
	}

	private static long elements(final long[] shape) {
		long elements = 1;
		for (final long dim : shape) elements = Math.multiplyExact(elements, dim);
		return elements;
	}
}
