package org.lumina.mgpt.plugin.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import ij.process.LUT;

import org.junit.jupiter.api.Test;

import org.lumina.mgpt.runtime.task.read.PaletteClass;

class LutsTest {

	/** {@link Luts#fire()}: dark at 0, bright at 255. */
	@Test
	void fire() {
		final LUT fire = Luts.fire();
		assertEquals(256, fire.getMapSize());
		assertEquals(0, fire.getRed(0) + fire.getGreen(0));
		assertEquals(255, fire.getRed(255));
		assertEquals(255, fire.getGreen(255));
	}

	/** {@link Luts#palette}: index i has class i's colour, the rest black. */
	@Test
	void palette() {
		final LUT lut = Luts.palette(List.of(new PaletteClass("bg", 0, 0, 0), new PaletteClass("disc", 230, 25, 75)));
		assertEquals(230, lut.getRed(1));
		assertEquals(25, lut.getGreen(1));
		assertEquals(75, lut.getBlue(1));
		assertEquals(0, lut.getRed(2));
	}
}
