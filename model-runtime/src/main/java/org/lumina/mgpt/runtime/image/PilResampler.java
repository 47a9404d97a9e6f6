package org.lumina.mgpt.runtime.image;

/**
 * A port of Pillow's {@code ImagingResample} for 8-bit images ({@code libImaging/Resample.c}):
 * separable convolution, horizontal pass first, the kernel widened by the downscale factor (which
 * antialiases), coefficients in 22-bit fixed point and each pass rounded and clamped to 0..255,
 * so results equal {@code PIL.Image.resize} sample for sample.
 */
final class PilResampler {

	/** The resampling kernels used by the reference: {@code Image.BOX} and {@code Image.BICUBIC}. */
	enum Filter {
		BOX(0.5) {
			@Override
			double weight(final double x) {
				return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
			}
		},
		/** Keys' cubic with {@code a = -0.5}. */
		BICUBIC(2.0) {
			@Override
			double weight(double x) {
				final double a = -0.5;
				x = Math.abs(x);
				if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
				if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
				return 0.0;
			}
		};

		final double support;

		Filter(final double support) {
			this.support = support;
		}

		abstract double weight(double x);
	}

	private static final int PRECISION_BITS = 32 - 8 - 2;
	private static final double ONE = 1 << PRECISION_BITS;

	private PilResampler() {}

	/** @return {@code image} resized to {@code width x height} with {@code filter}; a new image */
	static RgbPlanes resize(final RgbPlanes image, final int width, final int height, final Filter filter) {
		RgbPlanes out = image;
		if (width != image.width()) out = pass(out, width, filter, true);
		if (height != image.height()) out = pass(out, height, filter, false);
		return out == image ? new RgbPlanes(image.width(), image.height(), copy(image.channels())) : out;
	}

	private static RgbPlanes pass(final RgbPlanes in, final int outSize, final Filter filter, final boolean horizontal) {
		final int inSize = horizontal ? in.width() : in.height();
		final Kernel k = Kernel.of(inSize, outSize, filter);
		final int width = horizontal ? outSize : in.width();
		final int height = horizontal ? in.height() : outSize;
		final byte[][] channels = new byte[3][width * height];
		final int step = horizontal ? 1 : in.width();
		for (int c = 0; c < 3; c++) {
			final byte[] src = in.channels()[c];
			final byte[] dst = channels[c];
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					final int xx = horizontal ? x : y; // output index along the pass
					final int base = horizontal ? y * in.width() : x; // first sample of the line
					final int first = k.bounds[2 * xx];
					final int count = k.bounds[2 * xx + 1];
					int ss = 1 << (PRECISION_BITS - 1);
					for (int i = 0; i < count; i++) {
						ss += (src[base + (first + i) * step] & 0xff) * k.coefficients[xx * k.size + i];
					}
					dst[y * width + x] = (byte) Math.max(0, Math.min(255, ss >> PRECISION_BITS));
				}
			}
		}
		return new RgbPlanes(width, height, channels);
	}

	/** Per output sample: the first input sample, the number of taps and fixed-point weights. */
	private static final class Kernel {

		final int size;
		final int[] bounds;
		final int[] coefficients;

		private Kernel(final int size, final int[] bounds, final int[] coefficients) {
			this.size = size;
			this.bounds = bounds;
			this.coefficients = coefficients;
		}

		/** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
		static Kernel of(final int inSize, final int outSize, final Filter filter) {
			final double scale = (double) inSize / outSize;
			final double filterScale = Math.max(scale, 1.0);
			final double support = filter.support * filterScale;
			final double ss = 1.0 / filterScale; // NB: multiply by the reciprocal, as Pillow does, for equal rounding
			final int size = (int) Math.ceil(support) * 2 + 1;
			final int[] bounds = new int[2 * outSize];
			final int[] coefficients = new int[outSize * size];
			final double[] weights = new double[size];
			for (int xx = 0; xx < outSize; xx++) {
				final double center = (xx + 0.5) * scale;
				final int xmin = Math.max(0, (int) (center - support + 0.5));
				final int count = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
				double total = 0;
				for (int x = 0; x < count; x++) {
					weights[x] = filter.weight((x + xmin - center + 0.5) * ss);
					total += weights[x];
				}
				for (int x = 0; x < count; x++) {
					final double w = total != 0 ? weights[x] / total : weights[x];
					coefficients[xx * size + x] = (int) (w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
				}
				bounds[2 * xx] = xmin;
				bounds[2 * xx + 1] = count;
			}
			return new Kernel(size, bounds, coefficients);
		}
	}

	private static byte[][] copy(final byte[][] channels) {
		final byte[][] out = new byte[channels.length][];
		for (int c = 0; c < channels.length; c++) {
			out[c] = channels[c].clone();
		}
		return out;
	}
}
