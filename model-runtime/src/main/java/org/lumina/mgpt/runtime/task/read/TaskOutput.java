package org.lumina.mgpt.runtime.task.read;

import java.util.List;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What an {@link OutputReader} recovered from an answer image, in the answer image's pixel grid.
 * Map dense results back to the input with the encoded image's
 * {@link org.lumina.mgpt.runtime.image.ResizeMapping} ({@code toInput} for depth and normals,
 * {@code labelsToInput} for labels).
 */
public sealed interface TaskOutput permits TaskOutput.Depth, TaskOutput.Normals, TaskOutput.Labels, TaskOutput.Boxes {

	/** @param depth relative depth, dims X, Y, values in [0, 1], LARGER = NEARER (see {@link DepthReader}) */
	record Depth(Img<FloatType> depth) implements TaskOutput {}

	/** @param normals dims X, Y, C (C = 3: x right, y up, z toward the viewer), unit vectors */
	record Normals(Img<FloatType> normals) implements TaskOutput {}

	/**
	 * @param labels dims X, Y, values = indices into {@code classes}
	 * @param classes the manifest's palette, in order
	 */
	record Labels(Img<UnsignedByteType> labels, List<PaletteClass> classes) implements TaskOutput {

		public Labels {
			classes = List.copyOf(classes);
		}
	}

	/** @param boxes boxes found in the answer image, in answer-image pixels */
	record Boxes(List<Box> boxes) implements TaskOutput {

		public Boxes {
			boxes = List.copyOf(boxes);
		}
	}
}
