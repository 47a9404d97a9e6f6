package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.RgbImages;
import org.lumina.mgpt.runtime.task.read.Keypoint;

/**
 * One held-out scene: its truth as {@code sceneNNN.json} states it, and its truth images.
 *
 * @param directory the folder holding the scene's files
 * @param stem the file stem, e.g. {@code scene000}
 * @param size the image size
 * @param objects the objects, far to near (drawing order)
 * @param target index into {@code objects} of the object the detect prompt names
 * @param caption the truth caption, e.g. {@code a large red ring at the top left}
 * @param detectPhrase what the detect prompt names, e.g. {@code the red ring}
 * @param conditionInput the kind of truth image the condition-to-image task draws the scene from
 *          ({@code segmentation} or {@code depth})
 * @param editInstruction the editing instruction, e.g. {@code Make the red ring blue.}: the nearest
 *          object recoloured
 * @param editColour the colour the instruction gives the nearest object
 * @param pose the stick figure standing in the scene's {@code pose_rgb} picture
 * @param files truth image file names by kind ({@code rgb}, {@code depth}, {@code normals},
 *          {@code segmentation}, {@code detect}, {@code edit}, {@code pose_rgb}, {@code pose})
 */
public record HeldoutScene(Path directory, String stem, ImageSize size, List<SceneObject> objects, int target,
	String caption, String detectPhrase, String conditionInput, String editInstruction,
	String editColour, Figure pose, Map<String, String> files)
{

	public HeldoutScene {
		objects = List.copyOf(objects);
		files = Map.copyOf(files);
	}

	/**
	 * One drawn object.
	 *
	 * @param shape {@code disc}, {@code square}, {@code triangle} or {@code ring}
	 * @param colour a colour name of {@link SyntheticScenes}
	 * @param centreX centre column, pixels
	 * @param centreY centre row, pixels
	 * @param box the bounds of its full (unoccluded) shape
	 */
	public record SceneObject(String shape, String colour, double centreX, double centreY, PixelBox box) {}

	/**
	 * The stick figure of the pose task.
	 *
	 * @param height its height standing straight, pixels: the scale its keypoints are judged in
	 * @param colour a colour name of {@link SyntheticScenes}, that of its limbs in {@code pose_rgb}
	 * @param keypoints every keypoint, in the scene picture's continuous pixel coordinates
	 */
	public record Figure(double height, String colour, List<Keypoint> keypoints) {

		/** A keypoint is correct within this share of the figure's height (synthetic.py's PCK_THRESHOLD). */
		public static final double PCK_THRESHOLD = 0.1;

		public Figure {
			keypoints = List.copyOf(keypoints);
		}

		/**
		 * @param found keypoints read from an answer, on the scene picture; those of other names
		 *          are ignored
		 * @return the share of this figure's keypoints found within {@link #PCK_THRESHOLD} x
		 *         {@code height} of where they are (PCK); a keypoint not found counts as wrong
		 */
		public double pck(final List<Keypoint> found) {
			int correct = 0;
			for (final Keypoint truth : keypoints) {
				final boolean near = found.stream().anyMatch(k -> k.name().equals(truth.name()) && Math.hypot(k.x() - truth
					.x(), k.y() - truth.y()) <= PCK_THRESHOLD * height);
				if (near) correct++;
			}
			return (double) correct / keypoints.size();
		}
	}

	/** @return the object the detect prompt names */
	public SceneObject targetObject() {
		return objects.get(target);
	}

	/** @return the nearest object, the one the caption names first; nothing hides it */
	public SceneObject nearestObject() {
		return objects.get(objects.size() - 1);
	}

	/**
	 * Reads a truth image.
	 *
	 * @param kind a key of {@link #files}: {@code rgb}, {@code depth}, {@code normals}, {@code segmentation},
	 *          {@code detect}, {@code edit}, {@code pose_rgb} or {@code pose}
	 * @return a new 8-bit raster, dims X, Y, C (C = 3)
	 * @throws IllegalArgumentException when the scene has no such image or it is not readable
	 */
	public Img<UnsignedByteType> truth(final String kind) throws IOException {
		final String file = files.get(kind);
		if (file == null) throw new IllegalArgumentException("held-out scene " + stem + " has no " + kind + " image");
		return RgbImages.read(directory.resolve(file));
	}
}
