package org.lumina.mgpt.runtime.onnx;

import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ModelException;

/**
 * One conditional sequence on an {@link OrtDecoderModel}, positions {@code 0, 1, …}, and when
 * guiding an image the unconditional sequence as a second row of the same decoder calls (batch 2):
 * one {@code run} per step for both. Only the wanted positions' logits are computed when the
 * graph allows it ({@code num_logits_to_keep}). Rewinding masks the forgotten columns
 * ({@link CacheRows#rewind}) rather than copying the cache.
 * <p>
 * The unconditional row shares the KV cache's columns but is masked out of everything from before
 * it started (attention mask 0) and takes its own positions from 0, so it sees exactly what a
 * separate session would (spec §3.4). Starting and dropping it copies the cache once
 * ({@link OrtKvCache#setRows}); the conditional row keeps its padding columns, masked, after that.
 * NB: the unconditional row attends over all columns (masked ones cost compute, not results).
 */
final class OrtDecoderSession implements GuidedDecoderSession {

	private static final int CONDITIONAL = 0; // the row of the conditional sequence
	private static final int UNCONDITIONAL = 1;

	private final OrtDecoderModel model;
	private final OrtKvCache cache;
	private final CacheRows rows = new CacheRows();
	private final StepTensors tensors;
	private final Map<String, OnnxTensor> feed = new HashMap<>(); // NB: reused; every call sets every input
	private final Map<String, OnnxTensor> pinned = new HashMap<>(); // logits, written into our buffer
	private boolean closed;

	OrtDecoderSession(final OrtDecoderModel model) {
		this.model = model;
		this.tensors = new StepTensors(model.sessions().environment());
		try {
			this.cache = new OrtKvCache(model.sessions().environment(), model.shape());
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "cannot allocate the decoder's KV cache: " + e.getMessage(), e);
		}
	}

	// -- DecoderSession methods --

	@Override
	public void append(final int[] tokens, final float[] logits) {
		checkOpen();
		if (rows.rows() != 1) throw GuidedDecoderSession.unconditionalOpen();
		DecoderSession.logitPositions(tokens, logits, model.vocabSize());
		run(new int[][] { tokens }, new float[][] { logits });
	}

	@Override
	public int numPositions() {
		return rows.nextPosition(CONDITIONAL);
	}

	@Override
	public void rewind(final int numPositions) {
		checkOpen();
		DecoderSession.checkRewind(numPositions, numPositions());
		rows.rewind(CONDITIONAL, numPositions);
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
		if (rows.rows() == 1) {
			setCacheRows(2);
			rows.addRow();
		}
		run(new int[][] { conditional, unconditional }, new float[][] { conditionalLogits, unconditionalLogits });
	}

	@Override
	public int unconditionalPositions() {
		checkOpen();
		return rows.rows() == 2 ? rows.nextPosition(UNCONDITIONAL) : 0;
	}

	@Override
	public void rewindUnconditional(final int numPositions) {
		checkOpen();
		if (rows.rows() != 2) throw GuidedDecoderSession.noUnconditional();
		DecoderSession.checkRewind(numPositions, rows.nextPosition(UNCONDITIONAL));
		rows.rewind(UNCONDITIONAL, numPositions);
	}

	@Override
	public void dropUnconditional() {
		checkOpen();
		if (rows.rows() == 1) return;
		setCacheRows(1);
		rows.keepFirstRow();
	}

	// -- Helper methods --

	private void checkOpen() {
		if (closed) throw new IllegalStateException("this decoder session is closed; open a new one with openSession()");
	}

	private void setCacheRows(final int count) {
		try {
			cache.setRows(count);
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "cannot resize the decoder's KV cache to " + count + " rows: " +
				e.getMessage(), e);
		}
	}

	/**
	 * Rebuilds the cache without the columns no row attends to (rewound drafts, padding), which
	 * would otherwise be carried, concatenated and attended over at every later step. The columns
	 * keep their order, and each row its positions, so the logits do not change.
	 */
	private void compact() {
		final int[] kept = rows.attendedColumns();
		try {
			cache.keepColumns(kept);
		}
		catch (final OrtException e) {
			throw new ModelException(model.bundle(), "cannot compact the decoder's KV cache to " + kept.length +
				" columns: " + e.getMessage(), e);
		}
		rows.keepColumns(kept);
	}

	/** @param logits per row, a multiple of the vocabulary: the logits of that row's last positions */
	private void run(final int[][] tokens, final float[][] logits) {
		if (rows.wasteful()) compact();
		final CacheRows.Layout layout = rows.layout(tokens);
		final int keep = DecoderCalls.positionsToKeep(logits, model.vocabSize());
		final int kept = model.shape().hasNumLogitsToKeep() ? keep : layout.length();
		try {
			final int rowCount = layout.rows(), length = layout.length(), cells = rowCount * length;
			feed.put("input_ids", tensors.longs("input_ids", layout.ids(), cells, rowCount, length));
			feed.put("position_ids", tensors.longs("position_ids", layout.positions(), cells, rowCount, length));
			feed.put("attention_mask", tensors.longs("attention_mask", layout.mask(), rowCount * layout.columns(),
				rowCount, layout.columns()));
			if (model.shape().hasNumLogitsToKeep()) {
				feed.put("num_logits_to_keep", tensors.longScalar("num_logits_to_keep", keep));
			}
			cache.addInputs(feed);
			pinned.put("logits", tensors.floatOutput("logits", rowCount, kept, model.vocabSize()));
			final long start = System.nanoTime();
			final OrtSession.Result result = model.session().run(feed, cache.outputNames(), pinned);
			model.recordRun(System.nanoTime() - start);
			cache.advance(result);
			DecoderCalls.readLogits(tensors.floats("logits"), kept, model.vocabSize(), logits);
			rows.commit(layout, tokens);
		}
		catch (final OrtException e) {
			throw DecoderCalls.failure(model, numPositions(), e);
		}
	}
}
