/**
 * ImagePlus → model input: {@link org.lumina.mgpt.plugin.convert.InputConverter} picks planes and
 * channels, honours a rectangular selection and normalises 16/32-bit data by percentiles into 8-bit
 * RGB rasters ({@link org.lumina.mgpt.plugin.convert.ConvertedPlane}), as
 * {@link org.lumina.mgpt.plugin.convert.ConvertOptions} says.
 * <p>
 * Left out on purpose: non-rectangular selections (refused, not masked), per-plane percentiles
 * (one range per channel over every converted plane keeps an output stack consistent), display
 * ranges and LUTs of the input (data values are used, not what the screen shows).
 */
package org.lumina.mgpt.plugin.convert;
