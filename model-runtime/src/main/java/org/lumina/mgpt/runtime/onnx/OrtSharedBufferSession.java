package org.lumina.mgpt.runtime.onnx;

import java.util.Set;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;


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
final class OrtSharedBufferSession extends OrtGuidedSession {

	/** NB: positions per row before the buffer first grows; small enough for a text answer. */
	static final int INITIAL_CAPACITY = 256;

	private final SharedKvBuffer cache;
	private final int[] lengths = new int[2]; // valid positions of each row
	private long[] ids = new long[2]; // [rows, length] a call's tokens, reused
	private long[] positions = new long[2]; // [rows, length] their positions, reused
	private final int[] seqlens = new int[2]; // [rows] a call's seqlens_k
	private int rows = 1;

	OrtSharedBufferSession(final OrtDecoderModel model) {
		this(model, INITIAL_CAPACITY);
	}

	/** @param capacity positions per row to allocate at first (tests use a small one to make it grow) */
	OrtSharedBufferSession(final OrtDecoderModel model, final int capacity) {
		super(model);
		try {
			this.cache = new SharedKvBuffer(model.sessions().environment(), model.shape(), 1, capacity);
		}
		catch (final OrtException e) {
			throw cacheAllocationFailed(model, e);
		}
	}

	// -- OrtGuidedSession methods --

	@Override
	boolean guiding() {
		return rows != 1;
	}

	@Override
	void appendConditional(final int[] tokens, final float[] logits) {
		run(CONDITIONAL, new int[][] { tokens }, new float[][] { logits });
	}

	@Override
	void appendRows(final int[] conditional, final int[] unconditional, final float[] conditionalLogits,
		final float[] unconditionalLogits)
	{
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
	int positions(final int row) {
		return lengths[row];
	}

	@Override
	void truncate(final int row, final int numPositions) {
		lengths[row] = numPositions;
	}

	@Override
	void closeCache() {
		cache.close();
	}

	// -- GuidedDecoderSession methods --

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
