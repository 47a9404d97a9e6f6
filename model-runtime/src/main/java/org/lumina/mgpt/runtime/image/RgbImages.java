package org.lumina.mgpt.runtime.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Reads and writes image files as 8-bit RGB rasters (dims X, Y, C with C = 3) through
 * {@code javax.imageio}: PNG, JPEG, BMP, GIF, TIFF and WBMP on a standard Java runtime. Greyscale
 * files become three equal channels; transparent pixels are blended over white, as the
 * reference's {@code _whiten_transparency} does ({@code (1 - a) * 255 + a * v}, truncated).
 */
public final class RgbImages {

	private RgbImages() {}

	/**
	 * @return a new raster with the file's pixels
	 * @throws IllegalArgumentException when the file is missing or is not an image Java can read
	 *           (the message lists the formats it can)
	 * @throws IOException when the file cannot be read (permissions, I/O)
	 */
	public static Img<UnsignedByteType> read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new IllegalArgumentException("image file " + file + " does not exist");
		final BufferedImage image;
		try {
			image = ImageIO.read(file.toFile());
		}
		catch (final IIOException e) {
			throw new IllegalArgumentException(file + " is not a readable image (" + e.getMessage() + "); supported " +
				"formats: " + formats(true), e);
		}
		if (image == null) {
			throw new IllegalArgumentException(file + " is not a readable image; supported formats: " + formats(true));
		}
		return toPlanes(image).toImg();
	}

	/**
	 * Writes {@code rgb} in the format of the file's extension ({@code .png}, {@code .jpg}, ...).
	 *
	 * @throws IllegalArgumentException when the raster is not X, Y, C with C = 3, or the
	 *           extension names no format Java can write
	 */
	public static void write(final RandomAccessibleInterval<UnsignedByteType> rgb, final Path file) throws IOException {
		final String name = file.getFileName().toString();
		final String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
		if (!name.contains(".") || !ImageIO.getImageWritersBySuffix(format).hasNext()) {
			throw new IllegalArgumentException("cannot write " + file + ": the extension must name one of " + formats(false));
		}
		final RgbPlanes planes = RgbPlanes.from(rgb);
		final BufferedImage image = new BufferedImage(planes.width(), planes.height(), BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < planes.height(); y++) {
			for (int x = 0; x < planes.width(); x++) {
				image.setRGB(x, y, planes.get(0, x, y) << 16 | planes.get(1, x, y) << 8 | planes.get(2, x, y));
			}
		}
		if (!ImageIO.write(image, format, file.toFile())) {
			throw new IllegalArgumentException("cannot write " + file + " as " + format);
		}
	}

	private static RgbPlanes toPlanes(final BufferedImage image) {
		final int w = image.getWidth();
		final int h = image.getHeight();
		final byte[][] rgb = new byte[3][w * h];
		final ColorModel model = image.getColorModel();
		final Raster raster = image.getRaster();
		// NB: getRGB would gamma-convert linear greyscale; read grey samples as they are
		final boolean grey = model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel);
		final int maxGrey = grey ? (1 << model.getComponentSize(0)) - 1 : 255;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = y * w + x;
				final int argb = grey ? 0 : image.getRGB(x, y);
				final int alpha = !model.hasAlpha() ? 255 : grey ? raster.getSample(x, y, 1) * 255 / maxGrey : argb >>> 24;
				for (int c = 0; c < 3; c++) {
					final int v = grey ? raster.getSample(x, y, 0) * 255 / maxGrey : argb >> (16 - 8 * c) & 0xff;
					rgb[c][i] = (byte) (alpha == 255 ? v : whiten(v, alpha));
				}
			}
		}
		return new RgbPlanes(w, h, rgb);
	}

	private static int whiten(final int value, final int alpha) {
		final double a = alpha / 255.0;
		return (int) ((1 - a) * 255 + a * value);
	}

	private static String formats(final boolean read) {
		final String[] suffixes = read ? ImageIO.getReaderFileSuffixes() : ImageIO.getWriterFileSuffixes();
		final TreeSet<String> names = new TreeSet<>();
		Arrays.stream(suffixes).filter(s -> !s.isEmpty()).forEach(s -> names.add(s.toLowerCase(Locale.ROOT)));
		return String.join(", ", names);
	}
}
