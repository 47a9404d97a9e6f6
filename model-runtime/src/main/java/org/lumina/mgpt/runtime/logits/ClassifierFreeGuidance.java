package org.lumina.mgpt.runtime.logits;

/**
 * Classifier-free guidance on the raw logits (spec §3.4):
 * {@code guided = scale * (cond - uncond) + uncond}, applied whenever the state carries
 * unconditional logits. The generator decides when that is (inside an image once its size is
 * known) and runs the unconditional stream; this processor only combines.
 */
public final class ClassifierFreeGuidance implements LogitsProcessor {

	private final float scale;

	/** @param scale the guidance scale, finite and {@code >= 0}; 1 means no guidance */
	public ClassifierFreeGuidance(final double scale) {
		if (!(scale >= 0) || Double.isInfinite(scale)) {
			throw new IllegalArgumentException("cfg must be a finite number >= 0, got " + scale);
		}
		this.scale = (float) scale;
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		final float[] unconditional = state.unconditionalLogits();
		if (unconditional == null) return;
		for (int i = 0; i < logits.length; i++) {
			logits[i] = scale * (logits[i] - unconditional[i]) + unconditional[i];
		}
	}

	/** @return the guidance scale */
	public float scale() {
		return scale;
	}
}
