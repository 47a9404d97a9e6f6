package org.lumina.mgpt.plugin.display;

import java.awt.Color;
import java.awt.image.IndexColorModel;
import java.util.List;

import ij.plugin.LutLoader;
import ij.process.LUT;

import org.lumina.mgpt.runtime.task.read.PaletteClass;

/** The lookup tables of result images. Every call returns a new LUT. */
public final class Luts {

	private Luts() {}

	/** @return ImageJ's "Fire" LUT (black → blue → red → yellow → white), for depth maps */
	public static LUT fire() {
		final IndexColorModel fire = LutLoader.getLut("fire");
		if (fire != null) return new LUT(fire, 0, 255);
		// NB: a fallback ramp should a future ImageJ drop the built-in table
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) {
			r[i] = (byte) Math.min(255, 3 * i);
			g[i] = (byte) Math.max(0, Math.min(255, 3 * i - 255));
			b[i] = (byte) (i < 85 ? 3 * i : Math.max(0, Math.min(255, 3 * i - 510)));
		}
		return new LUT(r, g, b);
	}

	/**
	 * @param classes a segmentation palette of at most 256 classes
	 * @return a LUT where index {@code i} has the colour of class {@code i}; unused indices black
	 */
	public static LUT palette(final List<PaletteClass> classes) {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < Math.min(256, classes.size()); i++) {
			r[i] = (byte) classes.get(i).red();
			g[i] = (byte) classes.get(i).green();
			b[i] = (byte) classes.get(i).blue();
		}
		return new LUT(r, g, b);
	}

	/** @return a black → {@code colour} ramp, for one channel of a composite */
	public static LUT ramp(final Color colour) {
		return LUT.createLutFromColor(colour);
	}
}
