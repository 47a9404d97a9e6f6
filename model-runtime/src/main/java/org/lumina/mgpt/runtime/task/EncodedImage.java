package org.lumina.mgpt.runtime.task;

import org.lumina.mgpt.runtime.image.ResizedImage;
import org.lumina.mgpt.runtime.vq.CodeGrid;

/**
 * An input image as the model sees it.
 *
 * @param resized the image resized to a candidate size, with the mapping back to the input
 * @param codes its VQ codes
 * @param tokens its Uni-Rep tokens (start, height, width, rows with end of line, end)
 */
public record EncodedImage(ResizedImage resized, CodeGrid codes, int[] tokens) {}
