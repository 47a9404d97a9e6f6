package org.lumina.mgpt.runtime.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/** Test helper: copies a raster into a float image of the same dims. */
final class ImgConvert {

	private ImgConvert() {}

	static Img<FloatType> toFloat(final RandomAccessibleInterval<? extends RealType<?>> in) {
		final Img<FloatType> out = ArrayImgs.floats(in.dimensionsAsLongArray());
		LoopBuilder.setImages(in, out).forEachPixel((i, o) -> o.setReal(i.getRealDouble()));
		return out;
	}
}
