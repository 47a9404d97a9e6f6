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

import org.lumina.mgpt.plugin.convert.ConvertedPlane;
import org.lumina.mgpt.plugin.display.LayerRenderer;
import org.lumina.mgpt.plugin.display.Luts;
import org.lumina.mgpt.runtime.image.ResizeMapping;
import org.lumina.mgpt.runtime.task.GeneratedImage;
import org.lumina.mgpt.runtime.task.Task;
import org.lumina.mgpt.runtime.task.read.Box;
import org.lumina.mgpt.runtime.task.read.OutputReader;
import org.lumina.mgpt.runtime.task.read.PaletteClass;
import org.lumina.mgpt.runtime.task.read.TaskOutput;

/**
 * Turns the answers of an image task's planes into result images in the input's geometry (or
 * the selection's), overlay layers, box ROIs and a class-area table. Does not touch the input.
 */
final class OutputBuilder {

	/**
	 * @param images the result images (provenance not yet written)
	 * @param table class areas, or {@code null}
	 * @param boxes box ROIs in input coordinates
	 * @param layers one {@code ImageRoi} per plane, positioned for the input's overlay
	 */
	record Built(List<ImagePlus> images, ResultsTable table, List<Roi> boxes, List<Roi> layers) {}

	private enum Kind { DEPTH, NORMALS, LABELS, RGB }

	private final Task task;
	private final ImagePlus input;
	private final OutputReader reader; // null: show the answer picture
	private final JsonNode detectConvention; // null unless boxes are read
	private final String objectName;
	private final double opacity;

	OutputBuilder(final Task task, final ImagePlus input, final OutputReader reader, final JsonNode detectConvention,
		final String objectName, final double opacity)
	{
		this.task = task;
		this.input = input;
		this.reader = reader;
		this.detectConvention = detectConvention;
		this.objectName = objectName;
		this.opacity = opacity;
	}

	/** @param answers one per plane, each with a complete answer image of its mapping's result size */
	Built build(final List<PlaneAnswer> answers) {
		final List<ImageProcessor> planes = new ArrayList<>(); // 3 per answer for normals
		final List<Roi> layers = new ArrayList<>();
		final List<Roi> boxes = new ArrayList<>();
		final List<List<Roi>> outputBoxes = new ArrayList<>();
		List<PaletteClass> classes = List.of();
		Kind kind = Kind.RGB;
		for (final PlaneAnswer a : answers) {
			final GeneratedImage image = a.answer().images().get(0);
			final ResizeMapping mapping = a.mapping();
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
					outputBoxes.add(boxRois(found.boxes(), mapping, a.plane(), boxes));
				}
			}
			final Rectangle source = a.plane().source();
			final ImageRoi roi = new ImageRoi(source.x, source.y, layer);
			roi.setName(task.id());
			roi.setOpacity(opacity);
			position(roi, a.plane());
			layers.add(roi);
		}
		final ImagePlus result = image(kind, planes, answers, classes, outputBoxes);
		final ResultsTable table = kind == Kind.LABELS ? areas(result, classes, answers.size()) : null;
		return new Built(List.of(result), table, boxes, layers);
	}

	// -- Helper methods --

	private ImagePlus image(final Kind kind, final List<ImageProcessor> planes, final List<PlaneAnswer> answers,
		final List<PaletteClass> classes, final List<List<Roi>> outputBoxes)
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
		if (!outputBoxes.isEmpty()) {
			final Overlay overlay = new Overlay();
			for (int k = 0; k < outputBoxes.size(); k++) {
				for (final Roi roi : outputBoxes.get(k)) {
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

	/**
	 * Maps boxes back: adds input-coordinate ROIs to {@code inputBoxes} and returns the same boxes
	 * in the result image's coordinates.
	 */
	private List<Roi> boxRois(final List<Box> found, final ResizeMapping m, final ConvertedPlane plane,
		final List<Roi> inputBoxes)
	{
		final double sx = (double) m.padded().width() / m.result().width();
		final double sy = (double) m.padded().height() / m.result().height();
		final Color colour = boxColour();
		final List<Roi> local = new ArrayList<>();
		for (final Box b : found) {
			final int x0 = clamp(Math.round(b.x() * sx - m.padLeft()), m.input().width());
			final int x1 = clamp(Math.round((b.x() + b.width()) * sx - m.padLeft()), m.input().width());
			final int y0 = clamp(Math.round(b.y() * sy - m.padTop()), m.input().height());
			final int y1 = clamp(Math.round((b.y() + b.height()) * sy - m.padTop()), m.input().height());
			if (x1 <= x0 || y1 <= y0) continue;
			final String name = objectName + " " + (inputBoxes.size() + 1);
			final Roi roi = new Roi(x0, y0, x1 - x0, y1 - y0);
			roi.setName(name);
			roi.setStrokeColor(colour);
			local.add(roi);
			final Rectangle source = plane.source();
			final Roi onInput = new Roi(x0 + source.x, y0 + source.y, x1 - x0, y1 - y0);
			onInput.setName(name);
			onInput.setStrokeColor(colour);
			position(onInput, plane);
			inputBoxes.add(onInput);
		}
		return local;
	}

	private Color boxColour() {
		final JsonNode rgb = detectConvention == null ? null : detectConvention.get("rgb");
		if (rgb == null || rgb.size() != 3) return Color.MAGENTA;
		return new Color(rgb.get(0).asInt(), rgb.get(1).asInt(), rgb.get(2).asInt());
	}

	private static int clamp(final long v, final int max) {
		return (int) Math.max(0, Math.min(max, v));
	}

	/** Puts {@code roi} on the input's plane it came from (all planes when the input has one). */
	private void position(final Roi roi, final ConvertedPlane plane) {
		if (input == null || input.getStackSize() == 1) return;
		if (input.isHyperStack() || input.isComposite()) roi.setPosition(plane.channel(), plane.slice(), plane.frame());
		else roi.setPosition(input.getStackIndex(1, plane.slice(), plane.frame()));
	}

	private static ResultsTable areas(final ImagePlus labels, final List<PaletteClass> classes, final int planes) {
		final Calibration cal = labels.getCalibration();
		final double pixelArea = cal.pixelWidth * cal.pixelHeight;
		final String unit = cal.getUnit() + "^2";
		final ResultsTable table = new ResultsTable();
		final ImageStack stack = labels.getStack();
		for (int p = 1; p <= stack.getSize(); p++) {
			final long[] counts = new long[classes.size()];
			final ImageProcessor ip = stack.getProcessor(p);
			for (int i = 0; i < ip.getPixelCount(); i++) {
				final int label = ip.get(i);
				if (label < counts.length) counts[label]++;
			}
			for (int c = 0; c < classes.size(); c++) {
				table.incrementCounter();
				if (planes > 1) table.addValue("plane", p);
				table.addValue("label", c);
				table.addValue("class", classes.get(c).name());
				table.addValue("pixels", counts[c]);
				table.addValue("area", counts[c] * pixelArea);
				table.addValue("unit", unit);
			}
		}
		return table;
	}
}
