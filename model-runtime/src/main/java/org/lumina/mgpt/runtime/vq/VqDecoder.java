package org.lumina.mgpt.runtime.vq;

/** Turns VQ codes back into pixels (codebook gather, post-quant conv, decoder). Thread-safe. */
public interface VqDecoder {

	/** @return pixels per code along each side (16 for Chameleon's VQGAN) */
	int downsample();

	/**
	 * Decodes a code grid.
	 *
	 * @return planar RGB, not clamped (roughly [-1, 1]), layout [1, 3, 16 h, 16 w]; a new array
	 */
	float[] decode(CodeGrid codes);
}
