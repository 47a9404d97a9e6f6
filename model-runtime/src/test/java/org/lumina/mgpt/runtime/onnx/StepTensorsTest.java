package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.LongBuffer;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import org.junit.jupiter.api.Test;

/** Tests {@link StepTensors}: reused and grown buffers hold what fresh tensors would, and nothing leaks. */
class StepTensorsTest {

	private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

	/**
	 * {@link StepTensors#longs}: over a long run of growing masks and rewritten ids (the buffers
	 * growing several times), every tensor holds what a fresh tensor of the same values holds.
	 */
	@Test
	void reusedBuffersMatchFreshTensorsOverALongRun() throws OrtException {
		final SplittableRandom random = new SplittableRandom(1);
		final long before = NativeObjects.live();
		try (StepTensors tensors = new StepTensors(ENVIRONMENT)) {
			for (int columns = 1; columns <= 700; columns++) {
				final int rows = columns < 350 ? 1 : 2;
				final long[] mask = new long[rows * columns + 5]; // NB: longer than needed, as CacheRows' arrays are
				for (int i = 0; i < mask.length; i++) mask[i] = random.nextInt(2);
				final long[] ids = { random.nextInt(9216), random.nextInt(9216) };
				final OnnxTensor maskTensor = tensors.longs("attention_mask", mask, rows * columns, rows, columns);
				assertSameValues(mask, rows * columns, maskTensor, rows, columns);
				assertSameValues(ids, rows, tensors.longs("input_ids", ids, rows, rows, 1), rows, 1);
				final OnnxTensor keep = tensors.longScalar("num_logits_to_keep", columns);
				assertEquals(columns, keep.getLongBuffer().get(0));
				assertEquals(0, keep.getInfo().getShape().length);
			}
			assertEquals(before + 3, NativeObjects.live(), "one tensor per name");
		}
		assertEquals(before, NativeObjects.live(), "closed with the StepTensors");
	}

	/** {@link StepTensors#ints}: the same shape reuses the tensor; another shape makes a new one over the same name. */
	@Test
	void aTensorIsMadeAgainOnlyWhenItsShapeChanges() throws OrtException {
		try (StepTensors tensors = new StepTensors(ENVIRONMENT)) {
			final OnnxTensor first = tensors.ints("seqlens_k", new int[] { 5, 3 }, 2, 2);
			final OnnxTensor again = tensors.ints("seqlens_k", new int[] { 6, 4 }, 2, 2);
			assertSame(first, again);
			assertArrayEquals(new int[] { 6, 4 }, intValues(again));
			final OnnxTensor one = tensors.ints("seqlens_k", new int[] { 7 }, 1, 1);
			assertNotSame(again, one);
			assertArrayEquals(new int[] { 7 }, intValues(one));
		}
	}

	/** {@link StepTensors#floatOutput}, {@link StepTensors#floats}: the view shows the tensor's values, from index 0. */
	@Test
	void floatsViewTheOutputsBuffer() throws OrtException {
		try (StepTensors tensors = new StepTensors(ENVIRONMENT)) {
			final OnnxTensor small = tensors.floatOutput("logits", 1, 1, 4);
			assertEquals(4, tensors.floats("logits").capacity());
			final OnnxTensor large = tensors.floatOutput("logits", 2, 3, 4); // grows: 24 floats
			assertNotSame(small, large);
			tensors.floats("logits").put(23, 2.5f);
			assertEquals(2.5f, large.getFloatBuffer().get(23));
		}
	}

	private static void assertSameValues(final long[] values, final int count, final OnnxTensor actual,
		final long... shape) throws OrtException
	{
		assertArrayEquals(shape, actual.getInfo().getShape());
		try (OnnxTensor fresh = OnnxTensor.createTensor(ENVIRONMENT, LongBuffer.wrap(values, 0, count), shape)) {
			assertArrayEquals(longValues(fresh), longValues(actual));
		}
	}

	private static long[] longValues(final OnnxTensor tensor) {
		final LongBuffer buffer = tensor.getLongBuffer();
		final long[] values = new long[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	private static int[] intValues(final OnnxTensor tensor) {
		final java.nio.IntBuffer buffer = tensor.getIntBuffer();
		final int[] values = new int[buffer.remaining()];
		buffer.get(values);
		return values;
	}
}
