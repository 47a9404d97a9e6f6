package org.lumina.mgpt.runtime.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;

/**
 * Brings an RGB image to a model size (DESIGN.md §2): the WHOLE image is resized to exactly the
 * candidate size, so nothing of the input is cropped away (a documented deviation from the
 * reference's random crop). Steps, as in the reference's {@code center_crop} otherwise:
 * <ol>
 * <li>an image beyond 4:1 is reflect-padded to 4:1 (the padding is removed again when mapping
 * results back);</li>
 * <li>while both sides are at least twice the target, halve them with PIL's {@code BOX} filter
 * (integer {@code // 2});</li>
 * <li>resize to the target with PIL's {@code BICUBIC} filter, bit-exact with Pillow.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class ImageResizer {

	private ImageResizer() {}

	/**
	 * Resizes {@code rgb} to the candidate closest to its aspect ratio ({@link
	 * CandidateSizes#closest}, judged after the 4:1 padding).
	 *
	 * @param rgb an 8-bit raster with dims X, Y, C (C = 3)
	 */
	public static ResizedImage resize(final RandomAccessibleInterval<UnsignedByteType> rgb,
		final CandidateSizes candidates)
	{
		RgbPlanes.checkRgb(rgb);
		final ReflectPadding padding = ReflectPadding.forSize(Math.toIntExact(rgb.dimension(0)),
			Math.toIntExact(rgb.dimension(1)));
		return resize(rgb, candidates.closest(padding.width(), padding.height()));
	}

	/**
	 * Resizes {@code rgb} to exactly {@code target}.
	 *
	 * @param rgb an 8-bit raster with dims X, Y, C (C = 3)
	 * @param target the output size (any positive size; model sizes are candidates)
	 * @return a new raster plus the mapping back to {@code rgb}'s geometry
	 * @throws IllegalArgumentException when {@code rgb} is not X, Y, C with C = 3
	 */
	public static ResizedImage resize(final RandomAccessibleInterval<UnsignedByteType> rgb, final ImageSize target) {
		final RgbPlanes input = RgbPlanes.from(rgb);
		final ReflectPadding padding = ReflectPadding.forSize(input.width(), input.height());
		RgbPlanes image = padding.apply(input);
		int halvings = 0;
		while (image.width() >= 2 * target.width() && image.height() >= 2 * target.height()) {
			image = PilResampler.resize(image, image.width() / 2, image.height() / 2, PilResampler.Filter.BOX);
			halvings++;
		}
		image = PilResampler.resize(image, target.width(), target.height(), PilResampler.Filter.BICUBIC);
		final ResizeMapping mapping = new ResizeMapping(new ImageSize(input.width(), input.height()), padding.left(),
			padding.top(), new ImageSize(padding.width(), padding.height()), target);
		return new ResizedImage(image.toImg(), mapping, halvings);
	}
}
