package org.lumina.mgpt.runtime.onnx;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.vq.CodeGrid;
import org.lumina.mgpt.runtime.vq.VqDecoder;
import org.lumina.mgpt.runtime.vq.VqEncoder;

/**
 * The bundle's VQ tokenizer: {@code vq_encoder.onnx} (pixels → codes) and
 * {@code vq_decoder.onnx} (codes → pixels) in ONNX Runtime.
 */
public final class OrtVqCodec implements VqEncoder, VqDecoder, AutoCloseable {

	private final OrtSessions sessions;
	private final Path bundle;
	private final int downsample;
	private final int codebookSize;
	private final OrtSession encoder;
	private final OrtSession decoder;

	/**
	 * Opens both graphs and checks their signatures; on any failure closes what it opened.
	 *
	 * @param betweenGraphs runs after the encoder is open and before the decoder is opened (a
	 *            load-progress report; may throw to stop the load)
	 * @throws ModelException when a graph cannot be loaded or does not map pixels to codes or
	 *             codes to pixels
	 */
	public OrtVqCodec(final OrtSessions sessions, final Path bundle, final Path encoderGraph, final Path decoderGraph,
		final int downsample, final int codebookSize, final Runnable betweenGraphs)
	{
		this.sessions = sessions;
		this.bundle = bundle;
		this.downsample = downsample;
		this.codebookSize = codebookSize;
		this.encoder = sessions.open(bundle, encoderGraph);
		OrtSession opened = null;
		try {
			betweenGraphs.run();
			opened = sessions.open(bundle, decoderGraph);
			checkSignature(encoder, "vq_encoder.onnx", "pixels", "codes");
			checkSignature(opened, "vq_decoder.onnx", "codes", "pixels");
		}
		catch (final RuntimeException e) {
			OrtSessions.close(encoder);
			if (opened != null) OrtSessions.close(opened);
			throw e;
		}
		this.decoder = opened;
	}

	@Override
	public int downsample() {
		return downsample;
	}

	@Override
	public CodeGrid encode(final float[] pixels, final int height, final int width) {
		if (height % downsample != 0 || width % downsample != 0) {
			throw new IllegalArgumentException("image size must be a multiple of " + downsample + " on both sides, got " +
				width + "x" + height);
		}
		if (pixels.length != 3 * height * width) {
			throw new IllegalArgumentException("pixels must hold 3 x " + height + " x " + width + " values, got " +
				pixels.length);
		}
		try (OnnxTensor input = OnnxTensor.createTensor(sessions.environment(), FloatBuffer.wrap(pixels),
			new long[] { 1, 3, height, width }); OrtSession.Result result = encoder.run(Map.of("pixels", input)))
		{
			final LongBuffer codes = ((OnnxTensor) result.get(0)).getLongBuffer();
			final int rows = height / downsample;
			final int columns = width / downsample;
			final int[] grid = new int[rows * columns];
			for (int i = 0; i < grid.length; i++) grid[i] = (int) codes.get(i);
			return new CodeGrid(rows, columns, grid);
		}
		catch (final OrtException e) {
			throw new ModelException(bundle, "vq_encoder.onnx failed on a " + width + "x" + height + " image: " +
				e.getMessage(), e);
		}
	}

	@Override
	public float[] decode(final CodeGrid codes) {
		final long[] values = new long[codes.codes().length];
		for (int i = 0; i < values.length; i++) {
			final int code = codes.codes()[i];
			if (code < 0 || code >= codebookSize) {
				throw new IllegalArgumentException("code " + code + " at index " + i + " is outside the codebook 0.." +
					(codebookSize - 1));
			}
			values[i] = code;
		}
		try (OnnxTensor input = OnnxTensor.createTensor(sessions.environment(), LongBuffer.wrap(values),
			new long[] { 1, codes.height(), codes.width() }); OrtSession.Result result = decoder.run(Map.of("codes", input)))
		{
			final FloatBuffer pixels = ((OnnxTensor) result.get(0)).getFloatBuffer();
			final float[] out = new float[pixels.remaining()];
			pixels.get(out);
			return out;
		}
		catch (final OrtException e) {
			throw new ModelException(bundle, "vq_decoder.onnx failed on a " + codes.width() + "x" + codes.height() +
				" code grid: " + e.getMessage(), e);
		}
	}

	@Override
	public void close() {
		OrtSessions.close(encoder);
		OrtSessions.close(decoder);
	}

	// -- Helper methods --

	private void checkSignature(final OrtSession session, final String file, final String input, final String output) {
		try {
			final var inputs = session.getInputInfo();
			final var outputs = session.getOutputInfo();
			if (!inputs.keySet().equals(Set.of(input)) || !outputs.keySet().equals(Set.of(output))) {
				throw new ModelException(bundle, file + " must map '" + input + "' to '" + output + "' but has inputs " +
					inputs.keySet() + " and outputs " + outputs.keySet() + "; re-export the bundle");
			}
			final long[] shape = ((TensorInfo) inputs.get(input).getInfo()).getShape();
			if (shape.length != (input.equals("pixels") ? 4 : 3)) {
				throw new ModelException(bundle, file + ": input " + input + " has rank " + shape.length +
					", see docs/bundle-format.md; re-export the bundle");
			}
		}
		catch (final OrtException e) {
			throw new ModelException(bundle, "cannot read the inputs and outputs of " + file + ": " + e.getMessage(), e);
		}
	}
}
