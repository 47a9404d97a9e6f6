package org.lumina.mgpt.runtime.logits;

/**
 * Top-k with one k for images and one for text (spec §3.5, the reference's
 * {@code InterleavedTopKLogitsWarper}): {@code k = min(insideImage ? imageTopK : textTopK, vocab)};
 * logits below the k-th largest value become {@code -inf}. Ties with the k-th value are kept, so
 * more than k tokens may remain.
 * <p>
 * Finds the threshold with a bounded min-heap (O(vocab log k)); the heap is allocated on first use
 * and reused.
 */
public final class StatusAwareTopK implements LogitsProcessor {

	private final int imageTopK;
	private final int textTopK;
	private float[] heap; // [k] smallest of the k largest values at heap[0]

	/** @param imageTopK k inside an image, {@code >= 1} @param textTopK k in text, {@code >= 1} */
	public StatusAwareTopK(final int imageTopK, final int textTopK) {
		if (imageTopK < 1) throw new IllegalArgumentException("imageTopK must be >= 1, got " + imageTopK);
		if (textTopK < 1) throw new IllegalArgumentException("textTopK must be >= 1, got " + textTopK);
		this.imageTopK = imageTopK;
		this.textTopK = textTopK;
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		final int k = state.insideImage() ? imageTopK : textTopK;
		if (k >= logits.length) return;
		final float threshold = kthLargest(logits, k);
		if (threshold == Float.NEGATIVE_INFINITY) return;
		for (int i = 0; i < logits.length; i++) {
			if (logits[i] < threshold) logits[i] = Float.NEGATIVE_INFINITY;
		}
	}

	private float kthLargest(final float[] values, final int k) {
		if (heap == null || heap.length < k) heap = new float[k];
		int size = 0;
		for (final float v : values) {
			if (size < k) {
				int i = size++;
				while (i > 0 && heap[(i - 1) / 2] > v) {
					heap[i] = heap[(i - 1) / 2];
					i = (i - 1) / 2;
				}
				heap[i] = v;
			}
			else if (v > heap[0]) {
				siftDown(v, k);
			}
		}
		return heap[0];
	}

	/** Replaces the root with {@code v} and restores the min-heap of size {@code k}. */
	private void siftDown(final float v, final int k) {
		int i = 0;
		while (true) {
			int child = 2 * i + 1;
			if (child >= k) break;
			if (child + 1 < k && heap[child + 1] < heap[child]) child++;
			if (heap[child] >= v) break;
			heap[i] = heap[child];
			i = child;
		}
		heap[i] = v;
	}
}
