package org.lumina.mgpt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.AnswerGenerator;
import org.lumina.mgpt.runtime.task.EncodedImage;

/**
 * An input image file as the model sees it.
 *
 * @param file the file it was read from
 * @param size its pixel size in the file
 * @param encoded resized to a candidate size and encoded to Uni-Rep tokens
 */
record InputImage(Path file, ImageSize size, EncodedImage encoded) {

	/** @return the candidate size the image was resized to (the model's token grid × 16) */
	ImageSize modelSize() {
		return encoded.resized().mapping().result();
	}

	/**
	 * Reads image files, in order; do this before opening a model, so that a bad file fails fast.
	 *
	 * @return 8-bit RGB rasters (X, Y, C)
	 * @throws IllegalArgumentException naming the file (and the supported formats) when one is
	 *           missing or not an image
	 * @throws IOException when a file cannot be read
	 */
	static List<Img<UnsignedByteType>> read(final List<Path> files) throws IOException {
		final List<Img<UnsignedByteType>> rasters = new ArrayList<>();
		for (final Path file : files) {
			try {
				rasters.add(RgbImages.read(file));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("cannot use --image " + file + ": " + e.getMessage() +
					(e.getMessage().contains("supported formats") ? "" : "; check the path"), e);
			}
		}
		return rasters;
	}

	/** Resizes and encodes the rasters {@link #read} returned for {@code files}. */
	static List<InputImage> encode(final List<Path> files, final List<Img<UnsignedByteType>> rasters,
		final AnswerGenerator generator)
	{
		final List<InputImage> images = new ArrayList<>();
		for (int i = 0; i < files.size(); i++) {
			final Img<UnsignedByteType> rgb = rasters.get(i);
			images.add(new InputImage(files.get(i).toAbsolutePath().normalize(), new ImageSize((int) rgb.dimension(0),
				(int) rgb.dimension(1)), generator.encodeImage(rgb)));
		}
		return images;
	}

	/** {@link #read} and {@link #encode} in one go. */
	static List<InputImage> readAll(final List<Path> files, final AnswerGenerator generator) throws IOException {
		return encode(files, read(files), generator);
	}

	/** @return the encoded images of {@code images} */
	static List<EncodedImage> encoded(final List<InputImage> images) {
		return images.stream().map(InputImage::encoded).toList();
	}
}
