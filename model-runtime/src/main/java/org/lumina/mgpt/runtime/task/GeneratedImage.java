package org.lumina.mgpt.runtime.task;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.vq.CodeGrid;

/**
 * An image the model generated, decoded by the VQ decoder.
 *
 * @param size its pixel size, as its size tokens announced
 * @param codes the generated VQ codes
 * @param rgb the decoded 8-bit RGB raster, dims X, Y, C
 */
public record GeneratedImage(ImageSize size, CodeGrid codes, Img<UnsignedByteType> rgb) {}
