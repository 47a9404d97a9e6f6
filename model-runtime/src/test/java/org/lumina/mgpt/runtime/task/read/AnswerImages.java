package org.lumina.mgpt.runtime.task.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/** Builds synthetic answer images and conventions for the reader tests. */
final class AnswerImages {

	private AnswerImages() {}

	/** A pixel colour function. */
	interface Paint {

		int rgb(int x, int y);
	}

	static Img<UnsignedByteType> paint(final int w, final int h, final Paint paint) {
		final Img<UnsignedByteType> img = ArrayImgs.unsignedBytes(w, h, 3);
		final RandomAccess<UnsignedByteType> a = img.randomAccess();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int rgb = paint.rgb(x, y);
				for (int c = 0; c < 3; c++) {
					a.setPosition(new int[] { x, y, c });
					a.get().set(rgb >> (16 - 8 * c) & 0xff);
				}
			}
		}
		return img;
	}

	static int gray(final int v) {
		return v << 16 | v << 8 | v;
	}

	static JsonNode json(final String text) {
		try {
			return new ObjectMapper().readTree(text.replace('\'', '"'));
		}
		catch (final Exception e) {
			throw new IllegalArgumentException(e);
		}
	}
}
