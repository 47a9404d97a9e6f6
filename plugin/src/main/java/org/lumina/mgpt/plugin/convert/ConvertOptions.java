package org.lumina.mgpt.plugin.convert;

import java.util.Arrays;

/**
 * How {@link InputConverter} turns an {@code ImagePlus} into model input planes. Immutable and
 * validated on construction.
 *
 * @param allPlanes {@code false}: only the current plane; {@code true}: every plane along Z of the
 *          current channel and frame (along T when the image has a single Z plane), one
 *          {@link ConvertedPlane} each
 * @param rgbChannels 1-based source channels for R, G, B ({@code 0} = black), or {@code null} for
 *          automatic: RGB images as they are, multichannel images their first three channels
 *          (missing ones black), grayscale replicated to R, G and B. For RGB images the indices
 *          pick among R (1), G (2), B (3)
 * @param selectionOnly whether a rectangular selection on the image restricts the input to it
 * @param lowPercentile percentile (0..100) mapped to 0 when normalising 16/32-bit data
 * @param highPercentile percentile (0..100, above {@code lowPercentile}) mapped to 255
 */
public record ConvertOptions(boolean allPlanes, int[] rgbChannels, boolean selectionOnly, double lowPercentile,
	double highPercentile)
{

	/** Default low percentile (DESIGN.md §2). */
	public static final double DEFAULT_LOW = 1.0;
	/** Default high percentile (DESIGN.md §2). */
	public static final double DEFAULT_HIGH = 99.8;

	/** @throws IllegalArgumentException naming the parameter, its range and the value received */
	public ConvertOptions {
		if (rgbChannels != null) {
			if (rgbChannels.length != 3) {
				throw new IllegalArgumentException("rgbChannels must hold 3 channel indices (R, G, B; 0 = black), got " +
					Arrays.toString(rgbChannels));
			}
			rgbChannels = rgbChannels.clone();
			for (final int c : rgbChannels) {
				if (c < 0) {
					throw new IllegalArgumentException("rgbChannels must be 1-based channel indices or 0 (black), got " +
						Arrays.toString(rgbChannels));
				}
			}
			if (rgbChannels[0] == 0 && rgbChannels[1] == 0 && rgbChannels[2] == 0) {
				throw new IllegalArgumentException("rgbChannels must map at least one channel, got [0, 0, 0]");
			}
		}
		if (!(lowPercentile >= 0 && lowPercentile < 100)) {
			throw new IllegalArgumentException("lowPercentile must be in [0, 100), got " + lowPercentile);
		}
		if (!(highPercentile > lowPercentile && highPercentile <= 100)) {
			throw new IllegalArgumentException("highPercentile must be in (lowPercentile = " + lowPercentile +
				", 100], got " + highPercentile);
		}
	}

	/** @return the current plane, automatic channels, selection honoured, 1 % and 99.8 % */
	public static ConvertOptions defaults() {
		return new ConvertOptions(false, null, true, DEFAULT_LOW, DEFAULT_HIGH);
	}

	/** @return a copy of the channel mapping (the record's accessor returns the internal array) */
	public int[] rgbChannelsCopy() {
		return rgbChannels == null ? null : rgbChannels.clone();
	}

	public ConvertOptions withAllPlanes(final boolean value) {
		return new ConvertOptions(value, rgbChannels, selectionOnly, lowPercentile, highPercentile);
	}

	/** @param value 1-based R, G, B source channels, or {@code null} for automatic */
	public ConvertOptions withRgbChannels(final int... value) {
		return new ConvertOptions(allPlanes, value, selectionOnly, lowPercentile, highPercentile);
	}

	public ConvertOptions withSelectionOnly(final boolean value) {
		return new ConvertOptions(allPlanes, rgbChannels, value, lowPercentile, highPercentile);
	}

	public ConvertOptions withPercentiles(final double low, final double high) {
		return new ConvertOptions(allPlanes, rgbChannels, selectionOnly, low, high);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof ConvertOptions other && allPlanes == other.allPlanes && Arrays.equals(rgbChannels,
			other.rgbChannels) && selectionOnly == other.selectionOnly && lowPercentile == other.lowPercentile &&
			highPercentile == other.highPercentile;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(new double[] { allPlanes ? 1 : 0, Arrays.hashCode(rgbChannels), selectionOnly ? 1 : 0,
			lowPercentile, highPercentile });
	}

	@Override
	public String toString() {
		return "ConvertOptions[allPlanes=" + allPlanes + ", rgbChannels=" + Arrays.toString(rgbChannels) +
			", selectionOnly=" + selectionOnly + ", percentiles=" + lowPercentile + ".." + highPercentile + "]";
	}
}
