package org.lumina.mgpt.cli.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.image.RgbImages;

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
 * @param files truth image file names by kind ({@code rgb}, {@code depth}, {@code normals},
 *          {@code segmentation}, {@code detect}, {@code edit})
 */
public record HeldoutScene(Path directory, String stem, ImageSize size, List<SceneObject> objects, int target,
	String caption, String detectPhrase, String conditionInput, String editInstruction,
	String editColour, Map<String, String> files)
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
	 * @param kind {@code rgb}, {@code depth}, {@code normals}, {@code segmentation}, {@code detect} or {@code edit}
	 * @return a new 8-bit raster, dims X, Y, C (C = 3)
	 * @throws IllegalArgumentException when the scene has no such image or it is not readable
	 */
	public Img<UnsignedByteType> truth(final String kind) throws IOException {
		final String file = files.get(kind);
		if (file == null) throw new IllegalArgumentException("held-out scene " + stem + " has no " + kind + " image");
		return RgbImages.read(directory.resolve(file));
	}
}
