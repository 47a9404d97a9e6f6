package org.lumina.mgpt.runtime;

import org.lumina.mgpt.runtime.logits.DecodingState;

/**
 * The sequence as it would be if the first {@code count} draft tokens of a speculative window were
 * accepted: what the logits processors must see to give the distribution of the position after
 * them (structure constraints, forced end-of-lines and guidance included). A view: nothing is
 * copied, and the sequence itself never changes.
 * <p>
 * NB: valid inside an image body only, where every draft is an image token or an end-of-line:
 * the image status (start, grid) is then the sequence's own.
 */
final class DraftedState implements DecodingState {

	private final DecodingState sequence;
	private int[] drafts;
	private int count;
	private float[] unconditional;

	DraftedState(final DecodingState sequence) {
		this.sequence = sequence;
	}

	/**
	 * @param unconditionalLogits the guidance logits of the position after the drafts, or {@code null}
	 */
	DraftedState set(final int[] draftTokens, final int draftCount, final float[] unconditionalLogits) {
		this.drafts = draftTokens;
		this.count = draftCount;
		this.unconditional = unconditionalLogits;
		return this;
	}

	@Override
	public int length() {
		return sequence.length() + count;
	}

	@Override
	public int token(final int index) {
		final int base = sequence.length();
		if (index < base) return sequence.token(index);
		if (index >= base + count) {
			throw new IndexOutOfBoundsException("token index must be in [0, " + (base + count) + "), got " + index);
		}
		return drafts[index - base];
	}

	@Override
	public int generatedCount() {
		return sequence.generatedCount() + count;
	}

	@Override
	public boolean insideImage() {
		return sequence.insideImage();
	}

	@Override
	public int imageStart() {
		return sequence.imageStart();
	}

	@Override
	public int gridRows() {
		return sequence.gridRows();
	}

	@Override
	public int gridColumns() {
		return sequence.gridColumns();
	}

	@Override
	public float[] unconditionalLogits() {
		return unconditional;
	}
}
