package org.lumina.mgpt.runtime.bundle;

/**
 * Facts about the VQGAN graphs ({@code vq} in the manifest).
 *
 * @param downsample pixels per code along each side (16)
 * @param codebookSize number of codes
 * @param embedDim size of one codebook vector
 */
public record VqSpec(int downsample, int codebookSize, int embedDim) {}
