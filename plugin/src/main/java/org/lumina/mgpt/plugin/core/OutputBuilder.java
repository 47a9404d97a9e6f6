package org.lumina.mgpt.plugin.core;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.lumina.mgpt.plugin.display.LayerRenderer;
import org.lumina.mgpt.plugin.display.Luts;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.read.Keypoint;
import org.lumina.mgpt.runtime.task.read.OutputReader;
import org.lumina.mgpt.runtime.task.read.PaletteClass;
import org.lumina.mgpt.runtime.task.read.TaskOutput;

/**
 * Turns the answers of an image task's planes into result images in the input's geometry (or
 * the selection's), overlay layers, the ROIs read from the answers ({@link AnswerRois}: boxes,
 * keypoints and limbs) and a table of class areas or keypoints. Does not touch the input.
 */
final class OutputBuilder {

	/**
	 * @param images the result images (provenance not yet written)
	 * @param table class areas or keypoints, or {@code null}
	 * @param rois ROIs read from the answers (boxes, keypoints, limbs) in input coordinates
	 * @param layers one {@code ImageRoi} per plane, positioned for the input's overlay
	 */
	record Built(List<ImagePlus> images, ResultsTable table, List<Roi> rois, List<Roi> layers) {}

	private enum Kind { DEPTH, NORMALS, LABELS, RGB }

	private final Task task;
	private final ImagePlus input;
	private final OutputReader reader; // null: show the answer picture
	private final AnswerRois rois;
	private final double opacity;

	/**
	 * @param convention the manifest's convention of the task's output (for the boxes' colour), or {@code null}
	 * @param objectName what detect's boxes are named after
	 */
	OutputBuilder(final Task task, final ImagePlus input, final OutputReader reader, final JsonNode convention,
		final String objectName, final double opacity)
	{
		this.task = task;
		this.input = input;
		this.reader = reader;
		this.rois = new AnswerRois(input, convention, objectName);
		this.opacity = opacity;
	}

	/** @param answers one per plane, each with a complete answer image of its mapping's result size */
	Built build(final List<PlaneAnswer> answers) {
		final List<ImageProcessor> planes = new ArrayList<>(); // 3 per answer for normals
		final List<Roi> layers = new ArrayList<>();
		final List<Roi> onInput = new ArrayList<>();
		final List<List<Roi>> onResult = new ArrayList<>(); // per plane
		final List<TaskOutput.Keypoints> keypoints = new ArrayList<>(); // per plane, input coordinates
		List<PaletteClass> classes = List.of();
		Kind kind = Kind.RGB;
		for (final PlaneAnswer a : answers) {
			final GeneratedImage image = a.answer().images().get(0);
			final ResizeMapping mapping = a.mapping();
			final Rectangle source = a.plane().source();
			final TaskOutput read = reader == null ? null : reader.read(image.rgb());
			final ImageProcessor layer;
			if (read instanceof TaskOutput.Depth depth) {
				kind = Kind.DEPTH;
				final FloatProcessor fp = Rasters.floats(mapping.toInput(depth.depth()), 0);
				planes.add(fp);
				layer = LayerRenderer.withLut(fp, Luts.fire(), 0, 1);
			}
			else if (read instanceof TaskOutput.Normals normals) {
				kind = Kind.NORMALS;
				final FloatProcessor[] xyz = unitNormals(mapping.toInput(normals.normals()));
				for (final FloatProcessor fp : xyz) planes.add(fp);
				layer = LayerRenderer.normals(xyz[0], xyz[1], xyz[2]);
			}
			else if (read instanceof TaskOutput.Labels labels) {
				kind = Kind.LABELS;
				classes = labels.classes();
				final ImageProcessor bp = Rasters.bytes(mapping.labelsToInput(labels.labels()));
				planes.add(bp);
				layer = LayerRenderer.withLut(bp, Luts.palette(classes), 0, 255);
			}
			else {
				final ColorProcessor cp = Rasters.rgb(mapping.toInput(image.rgb()));
				planes.add(cp);
				layer = cp.duplicate();
				if (read instanceof TaskOutput.Boxes found) {
					onResult.add(rois.boxes(found.boxes(), mapping, a.plane(), onInput));
				}
				else if (read instanceof TaskOutput.Keypoints found) {
					final TaskOutput.Keypoints onPicture = found.toInput(mapping);
					onResult.add(rois.keypoints(onPicture, a.plane(), onInput));
					keypoints.add(shifted(onPicture, source));
				}
			}
			final ImageRoi roi = new ImageRoi(source.x, source.y, layer);
			roi.setName(task.id());
			roi.setOpacity(opacity);
			rois.position(roi, a.plane());
			layers.add(roi);
		}
		final ImagePlus result = image(kind, planes, answers, classes, onResult);
		final ResultsTable table = kind == Kind.LABELS ? ResultTables.areas(result, classes, answers.size()) : keypoints
			.isEmpty() ? null : ResultTables.keypoints(keypoints, input.getCalibration());
		return new Built(List.of(result), table, onInput, layers);
	}

	// -- Helper methods --

	private ImagePlus image(final Kind kind, final List<ImageProcessor> planes, final List<PlaneAnswer> answers,
		final List<PaletteClass> classes, final List<List<Roi>> onResult)
	{
		final ImageStack stack = new ImageStack(planes.get(0).getWidth(), planes.get(0).getHeight());
		for (final ImageProcessor ip : planes) stack.addSlice(ip);
		final String title = input == null ? task.id() : input.getShortTitle() + "-" + task.id();
		ImagePlus imp = new ImagePlus(title, stack);
		final int n = answers.size();
		final boolean alongT = n > 1 && answers.get(0).plane().slice() == answers.get(1).plane().slice();
		final int channels = kind == Kind.NORMALS ? 3 : 1;
		imp.setDimensions(channels, alongT ? 1 : n, alongT ? n : 1);
		if (input != null) imp.setCalibration(calibration(answers.get(0).plane().source()));
		switch (kind) {
			case DEPTH:
				imp.setLut(Luts.fire());
				imp.setDisplayRange(0, 1);
				break;
			case NORMALS:
				imp = normalsComposite(imp);
				break;
			case LABELS:
				imp.setLut(Luts.palette(classes));
				imp.setDisplayRange(0, 255);
				break;
			default:
				break;
		}
		if (!onResult.isEmpty()) {
			final Overlay overlay = new Overlay();
			for (int k = 0; k < onResult.size(); k++) {
				for (final Roi roi : onResult.get(k)) {
					if (n > 1) roi.setPosition(k + 1);
					overlay.add(roi);
				}
			}
			imp.setOverlay(overlay);
		}
		return imp;
	}

	private static ImagePlus normalsComposite(final ImagePlus imp) {
		final CompositeImage composite = new CompositeImage(imp, IJ.COMPOSITE);
		final Color[] colours = { Color.RED, Color.GREEN, Color.BLUE };
		for (int c = 1; c <= 3; c++) {
			final LUT lut = Luts.ramp(colours[c - 1]);
			lut.min = -1;
			lut.max = 1;
			composite.setChannelLut(lut, c);
		}
		composite.setTitle(imp.getTitle());
		composite.setCalibration(imp.getCalibration());
		return composite;
	}

	private Calibration calibration(final Rectangle source) {
		final Calibration cal = input.getCalibration().copy();
		cal.disableDensityCalibration();
		cal.xOrigin -= source.x;
		cal.yOrigin -= source.y;
		return cal;
	}

	/** @return x, y, z planes renormalised to unit length (bilinear mapping shortens vectors) */
	private static FloatProcessor[] unitNormals(final Img<FloatType> xyz) {
		final FloatProcessor[] planes = { Rasters.floats(xyz, 0), Rasters.floats(xyz, 1), Rasters.floats(xyz, 2) };
		final float[][] p = { (float[]) planes[0].getPixels(), (float[]) planes[1].getPixels(), (float[]) planes[2]
			.getPixels() };
		for (int i = 0; i < p[0].length; i++) {
			final double length = Math.sqrt(p[0][i] * p[0][i] + p[1][i] * p[1][i] + p[2][i] * p[2][i]);
			if (length > 0) for (final float[] c : p) c[i] /= length;
		}
		return planes;
	}

	/** @return the keypoints moved by the selection's offset: from the plane's picture onto the input */
	private static TaskOutput.Keypoints shifted(final TaskOutput.Keypoints k, final Rectangle source) {
		return new TaskOutput.Keypoints(k.classes(), k.found().stream().map(p -> new Keypoint(p.name(), p.x() + source.x,
			p.y() + source.y)).toList(), k.limbs());
	}
}
