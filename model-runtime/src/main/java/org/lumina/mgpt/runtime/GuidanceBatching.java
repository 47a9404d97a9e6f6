package org.lumina.mgpt.runtime;

/**
 * How a {@link Generator} runs the two sequences of classifier-free guidance inside an image. Both
 * give the same logits within floating-point error, hence the same tokens for a seed.
 */
public enum GuidanceBatching {

	/**
	 * Both sequences in one decoder call per step (batch 2), through
	 * {@link DecoderModel#openGuidedSession()}: the model's weights are read once for both rows. A
	 * model that cannot batch falls back to {@link #UNBATCHED}.
	 */
	BATCHED,

	/** One decoder call per sequence and step, on two sessions, as the reference does. */
	UNBATCHED
}
