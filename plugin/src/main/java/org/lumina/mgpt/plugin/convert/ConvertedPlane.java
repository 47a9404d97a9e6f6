package org.lumina.mgpt.plugin.convert;

import java.awt.Rectangle;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * One plane of an {@code ImagePlus} as the model reads it.
 *
 * @param rgb a new 8-bit RGB raster, dims X, Y, C (C = 3), of the source rectangle's size
 * @param channel the 1-based channel it came from, or 0 when R, G, B mix several channels (RGB
 *          images, multichannel mappings)
 * @param slice the 1-based Z position
 * @param frame the 1-based T position
 * @param source the rectangle of the image it covers: the whole image, or the selection
 * @param preprocess what was done, for provenance, e.g.
 *          {@code type=16-bit; channels=1,1,1; plane=c1 z2 t1; selection=none; percentiles=1.0,99.8; range=[c1: 10.0..4000.0]}
 */
public record ConvertedPlane(Img<UnsignedByteType> rgb, int channel, int slice, int frame, Rectangle source,
	String preprocess)
{

	public ConvertedPlane {
		source = new Rectangle(source);
	}

	/** @return a copy of the source rectangle */
	@Override
	public Rectangle source() {
		return new Rectangle(source);
	}
}
