package org.lumina.mgpt.runtime.task.read;

import java.util.List;
import java.util.Optional;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

import org.lumina.mgpt.runtime.image.ResizeMapping;

/**
 * What an {@link OutputReader} recovered from an answer image, in the answer image's pixel grid.
 * Map dense results back to the input with the encoded image's
 * {@link org.lumina.mgpt.runtime.image.ResizeMapping} ({@code toInput} for depth and normals,
 * {@code labelsToInput} for labels), keypoints with {@link Keypoints#toInput}.
 */
public sealed interface TaskOutput permits TaskOutput.Depth, TaskOutput.Normals, TaskOutput.Labels, TaskOutput.Boxes,
	TaskOutput.Keypoints
{

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

	/**
	 * @param classes every keypoint the manifest names, with its colour, in the manifest's order
	 * @param found the keypoints found, in the order of {@code classes}; a keypoint of
	 *          {@code classes} that is not here was not found
	 * @param limbs the manifest's limbs (between any two of {@code classes}, found or not)
	 */
	record Keypoints(List<PaletteClass> classes, List<Keypoint> found, List<Limb> limbs) implements TaskOutput {

		public Keypoints {
			classes = List.copyOf(classes);
			found = List.copyOf(found);
			limbs = List.copyOf(limbs);
		}

		/** @return the keypoint named {@code name}, or empty when it was not found */
		public Optional<Keypoint> find(final String name) {
			return found.stream().filter(k -> k.name().equals(name)).findFirst();
		}

		/** @return the same keypoints on the input picture ({@link Keypoint#toInput}) */
		public Keypoints toInput(final ResizeMapping mapping) {
			return new Keypoints(classes, found.stream().map(k -> k.toInput(mapping)).toList(), limbs);
		}
	}
}
