package org.lumina.mgpt.plugin.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.process.ColorProcessor;
import ij.process.FloatProcessor;

import org.junit.jupiter.api.Test;

class LayerRendererTest {

	/** {@link LayerRenderer#withLut}: min → index 0, max → index 255, NaN → index 0. */
	@Test
	void withLut() {
		final FloatProcessor fp = new FloatProcessor(3, 1, new float[] { 0f, 1f, Float.NaN });
		final ColorProcessor rgb = LayerRenderer.withLut(fp, Luts.fire(), 0, 1);
		final int white = Luts.fire().getRGB(255) & 0xffffff;
		assertEquals(white, rgb.get(1, 0) & 0xffffff);
		assertEquals(Luts.fire().getRGB(0) & 0xffffff, rgb.get(2, 0) & 0xffffff);
	}

	/** {@link LayerRenderer#normals}: channel = (n + 1) / 2 * 255. */
	@Test
	void normals() {
		final FloatProcessor x = new FloatProcessor(1, 1, new float[] { 1f });
		final FloatProcessor y = new FloatProcessor(1, 1, new float[] { -1f });
		final FloatProcessor z = new FloatProcessor(1, 1, new float[] { 0f });
		assertEquals(255 << 16 | 0 << 8 | 128, LayerRenderer.normals(x, y, z).get(0, 0) & 0xffffff);
	}
}
