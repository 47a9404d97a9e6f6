package org.lumina.mgpt.plugin.command;

import java.util.HashMap;
import java.util.Map;

import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.measure.Calibration;
import ij.process.ByteProcessor;

/** Runs task commands on the tiny bundle, and makes input images, for the command tests. */
final class TaskCommands {

	private TaskCommands() {}

	/**
	 * Runs {@code command} with {@code inputs} plus the tiny bundle as {@code model_dir}.
	 *
	 * @return the finished module
	 */
	static CommandModule run(final Context context, final Class<? extends Command> command,
		final Object... keysAndValues) throws Exception
	{
		final Map<String, Object> inputs = new HashMap<>();
		inputs.put("model_dir", TestBundles.tiny().toFile());
		for (int i = 0; i < keysAndValues.length; i += 2) inputs.put((String) keysAndValues[i], keysAndValues[i + 1]);
		return context.service(CommandService.class).run(command, true, inputs).get();
	}

	/** @return the innermost cause of {@code e} (SciJava wraps command exceptions twice) */
	static Throwable rootCause(final Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t) t = t.getCause();
		return t;
	}

	/** @return a calibrated 8-bit gradient stack of {@code planes} planes, titled "cells" */
	static ImagePlus gradient(final int width, final int height, final int planes) {
		final ImageStack stack = new ImageStack(width, height);
		for (int z = 0; z < planes; z++) {
			final ByteProcessor bp = new ByteProcessor(width, height);
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) bp.set(x, y, (x * 3 + y * 2 + z * 40) & 255);
			}
			stack.addSlice(bp);
		}
		final ImagePlus imp = new ImagePlus("cells", stack);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.25;
		cal.pixelHeight = 0.25;
		cal.setUnit("um");
		return imp;
	}

	/** @return the names of the overlay's elements, {@code ""} when there is none */
	static String layerNames(final ImagePlus imp) {
		final Overlay overlay = imp.getOverlay();
		if (overlay == null) return "";
		final StringBuilder names = new StringBuilder();
		for (int i = 0; i < overlay.size(); i++) names.append(i == 0 ? "" : ",").append(overlay.get(i).getName());
		return names.toString();
	}
}
