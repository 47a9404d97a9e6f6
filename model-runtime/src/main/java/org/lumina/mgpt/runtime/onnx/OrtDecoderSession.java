package org.lumina.mgpt.runtime.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

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
final class OrtDecoderSession extends OrtGuidedSession {

	private final OrtKvCache cache;
	private final CacheRows rows = new CacheRows();

	OrtDecoderSession(final OrtDecoderModel model) {
		super(model);
		try {
			this.cache = new OrtKvCache(model.sessions().environment(), model.shape());
		}
		catch (final OrtException e) {
			throw cacheAllocationFailed(model, e);
		}
	}

	// -- OrtGuidedSession methods --

	@Override
	boolean guiding() {
		return rows.rows() != 1;
	}

	@Override
	void appendConditional(final int[] tokens, final float[] logits) {
		run(new int[][] { tokens }, new float[][] { logits });
	}

	@Override
	void appendRows(final int[] conditional, final int[] unconditional, final float[] conditionalLogits,
		final float[] unconditionalLogits)
	{
		if (rows.rows() == 1) {
			setCacheRows(2);
			rows.addRow();
		}
		run(new int[][] { conditional, unconditional }, new float[][] { conditionalLogits, unconditionalLogits });
	}

	@Override
	int positions(final int row) {
		return rows.nextPosition(row);
	}

	@Override
	void truncate(final int row, final int numPositions) {
		rows.rewind(row, numPositions);
	}

	@Override
	void closeCache() {
		cache.close();
	}

	// -- GuidedDecoderSession methods --

	@Override
	public void dropUnconditional() {
		checkOpen();
		if (rows.rows() == 1) return;
		setCacheRows(1);
		rows.keepFirstRow();
	}

	// -- Helper methods --

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
