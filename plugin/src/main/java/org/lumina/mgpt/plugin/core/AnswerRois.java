package org.lumina.mgpt.plugin.core;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.PointRoi;
import ij.gui.Roi;

import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.task.read.Box;
import org.lumina.mgpt.runtime.task.read.Keypoint;
import org.lumina.mgpt.runtime.task.read.Limb;
import org.lumina.mgpt.runtime.task.read.TaskOutput;

/**
 * The ROIs read from one plane's answer: detect's boxes (rectangles named {@code <object> 1},
 * {@code <object> 2}, …) and pose's keypoints (points named after them) with the limbs between
 * found keypoints (lines named {@code <from>-<to>}, below the points). Each is made twice: in the
 * result image's pixels for its overlay, and in the input's (selection offset included, on the
 * plane it came from) for the input's overlay and the ROI Manager.
 */
final class AnswerRois {

	private final ImagePlus input; // null for text to image
	private final JsonNode detectConvention; // null unless boxes are read
	private final String objectName;

	AnswerRois(final ImagePlus input, final JsonNode detectConvention, final String objectName) {
		this.input = input;
		this.detectConvention = detectConvention;
		this.objectName = objectName;
	}

	/**
	 * Maps boxes of the answer grid back onto the plane's picture.
	 *
	 * @param onInput receives the boxes in the input's coordinates
	 * @return the boxes in the result image's coordinates
	 */
	List<Roi> boxes(final List<Box> found, final ResizeMapping m, final ConvertedPlane plane, final List<Roi> onInput) {
		final Color colour = boxColour();
		final List<Roi> local = new ArrayList<>();
		for (final Box b : found) {
			b.toInput(m).ifPresent(in -> local.add(styled(new Roi(in.x(), in.y(), in.width(), in.height()), objectName + " "
				+ (onInput.size() + local.size() + 1), colour)));
		}
		return withCopiesOnInput(local, plane, onInput);
	}

	/**
	 * @param found the keypoints on the plane's picture ({@link TaskOutput.Keypoints#toInput})
	 * @param onInput receives the limbs and keypoints in the input's coordinates
	 * @return the limbs between found keypoints, then the keypoints, in the result image's coordinates
	 */
	List<Roi> keypoints(final TaskOutput.Keypoints found, final ConvertedPlane plane, final List<Roi> onInput) {
		final List<Roi> local = new ArrayList<>();
		for (final Limb limb : found.limbs()) {
			found.find(limb.from()).ifPresent(a -> found.find(limb.to()).ifPresent(b -> local.add(styled(new Line(a.x(), a
				.y(), b.x(), b.y()), limb.from() + "-" + limb.to(), colour(found, limb.to())))));
		}
		for (final Keypoint k : found.found()) local.add(styled(new PointRoi(k.x(), k.y()), k.name(), colour(found, k
			.name())));
		return withCopiesOnInput(local, plane, onInput);
	}

	/** Puts {@code roi} on the input's plane it came from (all planes when the input has one). */
	void position(final Roi roi, final ConvertedPlane plane) {
		if (input == null || input.getStackSize() == 1) return;
		if (input.isHyperStack() || input.isComposite()) roi.setPosition(plane.channel(), plane.slice(), plane.frame());
		else roi.setPosition(input.getStackIndex(1, plane.slice(), plane.frame()));
	}

	// -- Helper methods --

	/** Adds to {@code onInput} a copy of each of {@code local} moved by the plane's offset; returns {@code local}. */
	private List<Roi> withCopiesOnInput(final List<Roi> local, final ConvertedPlane plane, final List<Roi> onInput) {
		final Rectangle source = plane.source();
		for (final Roi roi : local) {
			final Roi copy = (Roi) roi.clone();
			copy.setLocation(roi.getXBase() + source.x, roi.getYBase() + source.y);
			position(copy, plane);
			onInput.add(copy);
		}
		return local;
	}

	private static Roi styled(final Roi roi, final String name, final Color colour) {
		roi.setName(name);
		roi.setStrokeColor(colour);
		return roi;
	}

	/** @return the colour of keypoint {@code name} in the map, which the reader checked names it */
	private static Color colour(final TaskOutput.Keypoints found, final String name) {
		return found.classes().stream().filter(c -> c.name().equals(name)).findFirst().map(c -> new Color(c.rgb()))
			.orElseThrow();
	}

	private Color boxColour() {
		final JsonNode rgb = detectConvention == null ? null : detectConvention.get("rgb");
		if (rgb == null || rgb.size() != 3) return Color.MAGENTA;
		return new Color(rgb.get(0).asInt(), rgb.get(1).asInt(), rgb.get(2).asInt());
	}
}
