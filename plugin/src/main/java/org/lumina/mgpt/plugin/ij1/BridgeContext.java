package org.lumina.mgpt.plugin.ij1;

import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.prefs.PrefService;

import ij.IJ;

/**
 * The SciJava context the ImageJ 1 bridge runs commands in: Fiji's own (through imagej-legacy)
 * when it runs, else one context created on first use and kept for the JVM's lifetime, so opened
 * models are shared between commands.
 */
final class BridgeContext {

	private static Context context;

	private BridgeContext() {}

	/** @return the context; created on the first call outside Fiji */
	static synchronized Context get() {
		if (context != null) return context;
		context = fijiContext();
		if (context == null) context = newContext();
		return context;
	}

	// -- Helper methods --

	private static Context fijiContext() {
		try {
			Class.forName("net.imagej.legacy.LegacyService", false, BridgeContext.class.getClassLoader());
		}
		catch (final ClassNotFoundException e) {
			return null; // plain ImageJ 1
		}
		// NB: imagej-legacy answers this call with the running context instead of making a new one.
		final Object running = IJ.runPlugIn("org.scijava.Context", "");
		return running instanceof Context ? (Context) running : null;
	}

	private static Context newContext() {
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		// NB: ImageJ 1 loads plugins/*.jar with its own class loader; SciJava finds plugins through
		// the context class loader, so point it at ours while the context discovers them.
		thread.setContextClassLoader(BridgeContext.class.getClassLoader());
		try {
			return new Context(CommandService.class, StatusService.class, LogService.class, PrefService.class,
				LuminaModelService.class);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}
}
