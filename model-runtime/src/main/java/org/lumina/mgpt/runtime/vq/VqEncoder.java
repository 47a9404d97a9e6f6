package org.lumina.mgpt.runtime.vq;

/** Turns pixels into VQ codes (encoder, quant conv, nearest codebook entry). Thread-safe. */
public interface VqEncoder {

	/** @return pixels per code along each side (16 for Chameleon's VQGAN) */
	int downsample();

	/**
	 * Encodes one RGB image.
	 *
	 * @param pixels planar RGB in [-1, 1], layout [1, 3, height, width]
	 * @param height pixel height, a multiple of {@link #downsample()}
	 * @param width pixel width, a multiple of {@link #downsample()}
	 * @return the codes, {@code height / downsample} rows by {@code width / downsample} columns
	 */
	CodeGrid encode(float[] pixels, int height, int width);
}
