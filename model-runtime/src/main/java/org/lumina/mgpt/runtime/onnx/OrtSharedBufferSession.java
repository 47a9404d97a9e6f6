package org.lumina.mgpt.runtime.onnx;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ModelException;

/**
 * A decoder session of the {@code shared_buffer} KV layout: the cache is a {@link SharedKvBuffer}
 * that ONNX Runtime's GroupQueryAttention updates in place (bound as both the past inputs and the
 * pinned present outputs), so a step copies nothing of the cache; each row's length
 * ({@code seqlens_k}) tells the graph which positions are valid, so rewinding is setting a length.
 * <p>
 * Guidance: the conditional sequence is row 0, the unconditional one row 1 with its own positions
 * from 0 (spec §3.4); no mask is needed since each row attends only to its own first positions.
 * When both rows append one token, one call runs both (batch 2, rows of different lengths). The
 * kernel takes several new positions per row only in a batch of one, so chunks longer than one
 * token (the unconditional prompt, a speculative window) run one call per row on that row's view
 * of the buffer. Rewinding either row sets its length: the forgotten positions stay in the
 * buffer, unread, until appends overwrite them.
 */
final class OrtSharedBufferSession implements GuidedDecoderSession {

	/** NB: positions per row before the buffer first grows; small enough for a text answer. */
	static final int INITIAL_CAPACITY = 256;

	private static final int CONDITIONAL = 0; // the row of the conditional sequence
	private static final int UNCONDITIONAL = 1;

	private final OrtDecoderModel model;
	private final SharedKvBuffer cache;
	private final StepTensors tensors;
	private final Map<String, OnnxTensor> feed = new HashMap<>(); // NB: reused; every call sets every input
	private final Map<String, OnnxTensor> pinned = new HashMap<>(); // every output: the cache and the logits
	private final int[] lengths = new int[2]; // valid positions of each row
	private long[] ids = new long[2]; // [rows, length] a call's tokens, reused
	private long[] positions = new long[2]; // [rows, length] their positions, reused
	private final int[] seqlens = new int[2]; // [rows] a call's seqlens_k
	private int rows = 1;
	private boolean closed;

	OrtSharedBufferSession(final OrtDecoderModel model) {
		this(model, INITIAL_CAPACITY);
	}

	/** @param capacity positions per row to allocate at first (tests use a small one to make it grow) */
	OrtSharedBufferSession(final OrtDecoderModel model, final int capacity) {
		this.model = model;
		this.tensors = new StepTensors(model.sessions().environment());
		try {
			this.cache = new SharedKvBuffer(model.sessions().environment(), model.shape(), 1, capacity);
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "cannot allocate the decoder's KV cache: " + e.getMessage(), e);
		}
	}

	// -- DecoderSession methods --

	@Override
	public void append(final int[] tokens, final float[] logits) {
		checkOpen();
		if (rows != 1) throw GuidedDecoderSession.unconditionalOpen();
		DecoderSession.logitPositions(tokens, logits, model.vocabSize());
		run(CONDITIONAL, new int[][] { tokens }, new float[][] { logits });
	}

	@Override
	public int numPositions() {
		return lengths[CONDITIONAL];
	}

	@Override
	public void rewind(final int numPositions) {
		checkOpen();
		DecoderSession.checkRewind(numPositions, lengths[CONDITIONAL]);
		lengths[CONDITIONAL] = numPositions;
	}

	@Override
	public void close() {
		if (closed) return;
		closed = true;
		cache.close();
		tensors.close();
	}

	// -- GuidedDecoderSession methods --

	@Override
	public void appendBoth(final int[] conditional, final int[] unconditional, final float[] conditionalLogits,
		final float[] unconditionalLogits)
	{
		checkOpen();
		DecoderSession.logitPositions(conditional, conditionalLogits, model.vocabSize());
		DecoderSession.logitPositions(unconditional, unconditionalLogits, model.vocabSize());
		if (rows == 1) {
			rows = 2;
			lengths[UNCONDITIONAL] = 0;
		}
		if (conditional.length == 1 && unconditional.length == 1) {
			run(CONDITIONAL, new int[][] { conditional, unconditional }, new float[][] { conditionalLogits,
				unconditionalLogits });
		}
		else {
			run(CONDITIONAL, new int[][] { conditional }, new float[][] { conditionalLogits });
			run(UNCONDITIONAL, new int[][] { unconditional }, new float[][] { unconditionalLogits });
		}
	}

	@Override
	public int unconditionalPositions() {
		checkOpen();
		return rows == 2 ? lengths[UNCONDITIONAL] : 0;
	}

	@Override
	public void rewindUnconditional(final int numPositions) {
		checkOpen();
		if (rows != 2) throw GuidedDecoderSession.noUnconditional();
		DecoderSession.checkRewind(numPositions, lengths[UNCONDITIONAL]);
		lengths[UNCONDITIONAL] = numPositions;
	}

	/** Stops feeding row 1; its memory stays allocated for the next guided image. */
	@Override
	public void dropUnconditional() {
		checkOpen();
		rows = 1;
		lengths[UNCONDITIONAL] = 0; // NB: nothing of it is copied when the buffer grows
	}

	// -- Package-private accessors for tests --

	SharedKvBuffer cache() {
		return cache;
	}

	// -- Helper methods --

	private void checkOpen() {
		if (closed) throw new IllegalStateException("this decoder session is closed; open a new one with openSession()");
	}

	/**
	 * One call that appends {@code tokens[i]} to row {@code first + i}, all chunks of one length,
	 * and writes the logits of each row's last {@code logits[i].length / vocab} positions.
	 */
	private void run(final int first, final int[][] tokens, final float[][] logits) {
		final int count = tokens.length;
		final int length = tokens[0].length;
		if (ids.length < count * length) {
			ids = new long[count * length];
			positions = new long[count * length];
		}
		int total = 0;
		for (int i = 0; i < count; i++) {
			final int row = first + i;
			for (int j = 0; j < length; j++) {
				ids[i * length + j] = tokens[i][j];
				positions[i * length + j] = lengths[row] + j;
			}
			seqlens[i] = lengths[row] + length - 1;
			total = Math.max(total, lengths[row] + length);
		}
		final int keep = DecoderCalls.positionsToKeep(logits, model.vocabSize());
		final int kept = model.shape().hasNumLogitsToKeep() ? keep : length;
		try {
			cache.reserve(rows, total, lengths);
			feed.put("input_ids", tensors.longs("input_ids", ids, count * length, count, length));
			feed.put("position_ids", tensors.longs("position_ids", positions, count * length, count, length));
			feed.put("seqlens_k", tensors.ints("seqlens_k", seqlens, count, count));
			feed.put("total_sequence_length", tensors.intScalar("total_sequence_length", total));
			if (model.shape().hasNumLogitsToKeep()) {
				feed.put("num_logits_to_keep", tensors.longScalar("num_logits_to_keep", keep));
			}
			cache.bind(first, count, feed, pinned);
			pinned.put("logits", tensors.floatOutput("logits", count, kept, model.vocabSize()));
			final long start = System.nanoTime();
			try (OrtSession.Result result = model.session().run(feed, Set.of(), pinned)) {
				model.recordRun(System.nanoTime() - start);
			}
			DecoderCalls.readLogits(tensors.floats("logits"), kept, model.vocabSize(), logits);
			for (int i = 0; i < count; i++) lengths[first + i] += length;
		}
		catch (final OrtException e) {
			throw DecoderCalls.failure(model, lengths[first], e);
		}
	}
}
