package org.lumina.mgpt.runtime.image;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * The result of {@link ImageResizer}: the model-sized raster and the way back.
 *
 * @param image the resized RGB raster, dims X, Y, C with X x Y a candidate size
 * @param mapping maps rasters of the resized size back onto the input's pixel grid
 * @param boxHalvings how many times the image was halved with a box filter before the bicubic
 *          resize
 */
public record ResizedImage(Img<UnsignedByteType> image, ResizeMapping mapping, int boxHalvings) {}
