package org.lumina.mgpt.plugin.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.util.List;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

class InputConverterTest {

	private static int at(final Img<UnsignedByteType> rgb, final int x, final int y, final int c) {
		final RandomAccess<UnsignedByteType> a = rgb.randomAccess();
		a.setPosition(new int[] { x, y, c });
		return a.get().get();
	}

	private static ImagePlus ramp16(final int w, final int h) {
		final ShortProcessor sp = new ShortProcessor(w, h);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) sp.set(x, y, 1000 + 10 * (y * w + x));
		return new ImagePlus("ramp16", sp);
	}

	/** 8-bit gray is used as is, replicated to R, G, B; no percentiles. */
	@Test
	void eightBit() {
		final ByteProcessor bp = new ByteProcessor(64, 48);
		for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) bp.set(x, y, x * 3);
		final List<ConvertedPlane> planes = InputConverter.convert(new ImagePlus("g8", bp), ConvertOptions.defaults());
		assertEquals(1, planes.size());
		final ConvertedPlane p = planes.get(0);
		assertArrayEquals(new long[] { 64, 48, 3 }, p.rgb().dimensionsAsLongArray());
		for (int c = 0; c < 3; c++) assertEquals(30, at(p.rgb(), 10, 5, c));
		assertEquals(1, p.channel());
		assertEquals(new Rectangle(0, 0, 64, 48), p.source());
		assertTrue(p.preprocess().contains("type=8-bit"), p.preprocess());
		assertTrue(!p.preprocess().contains("percentiles"), p.preprocess());
	}

	/** 16-bit: the 1 % / 99.8 % percentiles map to 0 / 255 and are recorded. */
	@Test
	void sixteenBitPercentiles() {
		final ImagePlus image = ramp16(64, 48);
		final ConvertedPlane p = InputConverter.convert(image, ConvertOptions.defaults()).get(0);
		// values 1000 + 10 i, i in 0..3071: 1 % at rank 30.71, 99.8 % at rank 3064.858
		final double low = 1000 + 10 * 30.71;
		final double high = 1000 + 10 * 3064.858;
		assertEquals(0, at(p.rgb(), 0, 0, 0));
		assertEquals(255, at(p.rgb(), 63, 47, 1));
		final int i = 24 * 64 + 32;
		assertEquals(Math.round((1000 + 10 * i - low) / (high - low) * 255), at(p.rgb(), 32, 24, 2));
		assertTrue(p.preprocess().contains("percentiles=1.0,99.8"), p.preprocess());
		assertTrue(p.preprocess().contains("c1:1307.10..31648.6"), p.preprocess());
	}

	/** 32-bit with custom percentiles (0 / 100 = min / max); NaN becomes 0. */
	@Test
	void thirtyTwoBit() {
		final FloatProcessor fp = new FloatProcessor(10, 10);
		for (int i = 0; i < 100; i++) fp.setf(i, -1f + i / 99f * 2f);
		fp.setf(5, Float.NaN);
		final ConvertedPlane p = InputConverter.convert(new ImagePlus("f", fp), ConvertOptions.defaults().withPercentiles(
			0, 100)).get(0);
		assertEquals(0, at(p.rgb(), 0, 0, 0));
		assertEquals(0, at(p.rgb(), 5, 0, 0));
		assertEquals(255, at(p.rgb(), 9, 9, 0));
		assertTrue(p.preprocess().contains("percentiles=0.0,100.0"), p.preprocess());
	}

	/** RGB is used as is; indices pick among R, G, B. */
	@Test
	void rgb() {
		final ColorProcessor cp = new ColorProcessor(8, 6);
		cp.setColor(new java.awt.Color(10, 20, 30));
		cp.fill();
		final ImagePlus image = new ImagePlus("rgb", cp);
		final ConvertedPlane p = InputConverter.convert(image, ConvertOptions.defaults()).get(0);
		assertEquals(List.of(10, 20, 30), List.of(at(p.rgb(), 3, 3, 0), at(p.rgb(), 3, 3, 1), at(p.rgb(), 3, 3, 2)));
		assertEquals(0, p.channel());
		final ConvertedPlane swapped = InputConverter.convert(image, ConvertOptions.defaults().withRgbChannels(3, 2, 0))
			.get(0);
		assertEquals(List.of(30, 20, 0), List.of(at(swapped.rgb(), 0, 0, 0), at(swapped.rgb(), 0, 0, 1), at(swapped.rgb(),
			0, 0, 2)));
	}

	/** A 4-channel composite: first three channels by default, a chosen mapping otherwise; bad index named. */
	@Test
	void compositeChannels() {
		final ImageStack stack = new ImageStack(8, 6);
		for (int c = 1; c <= 4; c++) {
			final ByteProcessor bp = new ByteProcessor(8, 6);
			bp.setValue(c * 10);
			bp.fill();
			stack.addSlice(bp);
		}
		final ImagePlus plain = new ImagePlus("comp", stack);
		plain.setDimensions(4, 1, 1);
		final ImagePlus image = new CompositeImage(plain, IJ.COMPOSITE);
		final ConvertedPlane auto = InputConverter.convert(image, ConvertOptions.defaults()).get(0);
		assertEquals(List.of(10, 20, 30), List.of(at(auto.rgb(), 1, 1, 0), at(auto.rgb(), 1, 1, 1), at(auto.rgb(), 1, 1,
			2)));
		final ConvertedPlane chosen = InputConverter.convert(image, ConvertOptions.defaults().withRgbChannels(4, 0, 2))
			.get(0);
		assertEquals(List.of(40, 0, 20), List.of(at(chosen.rgb(), 1, 1, 0), at(chosen.rgb(), 1, 1, 1), at(chosen.rgb(), 1,
			1, 2)));
		assertTrue(chosen.preprocess().contains("channels=4,0,2"), chosen.preprocess());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputConverter.convert(image,
			ConvertOptions.defaults().withRgbChannels(1, 2, 5)));
		assertTrue(e.getMessage().contains("channel 5 does not exist"), e.getMessage());
		assertTrue(e.getMessage().contains("4 channels"), e.getMessage());
	}

	/** A Z stack: the current plane, or every plane with allPlanes; percentiles shared by all planes. */
	@Test
	void stackAllPlanes() {
		final ImageStack stack = new ImageStack(8, 6);
		for (int z = 0; z < 3; z++) {
			final ShortProcessor sp = new ShortProcessor(8, 6);
			sp.setValue(100 * (z + 1));
			sp.fill();
			stack.addSlice(sp);
		}
		final ImagePlus image = new ImagePlus("stack", stack);
		image.setSlice(2);
		final List<ConvertedPlane> one = InputConverter.convert(image, ConvertOptions.defaults());
		assertEquals(1, one.size());
		assertEquals(2, one.get(0).slice());
		final List<ConvertedPlane> all = InputConverter.convert(image, ConvertOptions.defaults().withAllPlanes(true)
			.withPercentiles(0, 100));
		assertEquals(List.of(1, 2, 3), all.stream().map(ConvertedPlane::slice).toList());
		assertEquals(0, at(all.get(0).rgb(), 0, 0, 0));
		assertEquals(127.5, at(all.get(1).rgb(), 0, 0, 0), 0.5);
		assertEquals(255, at(all.get(2).rgb(), 0, 0, 0));
	}

	/** A rectangular selection restricts the plane; other selections and outside ones are refused. */
	@Test
	void selection() {
		final ImagePlus image = ramp16(64, 48);
		image.setRoi(new Roi(10, 8, 32, 24));
		final ConvertedPlane p = InputConverter.convert(image, ConvertOptions.defaults()).get(0);
		assertArrayEquals(new long[] { 32, 24, 3 }, p.rgb().dimensionsAsLongArray());
		assertEquals(new Rectangle(10, 8, 32, 24), p.source());
		assertTrue(p.preprocess().contains("selection=10,8 32x24"), p.preprocess());
		assertEquals(new Rectangle(0, 0, 64, 48), InputConverter.convert(image, ConvertOptions.defaults()
			.withSelectionOnly(false)).get(0).source());

		image.setRoi(new OvalRoi(5, 5, 20, 20));
		final IllegalArgumentException oval = assertThrows(IllegalArgumentException.class, () -> InputConverter.convert(
			image, ConvertOptions.defaults()));
		assertTrue(oval.getMessage().contains("must be a rectangle"), oval.getMessage());

		final Roi outside = new Roi(100, 100, 10, 10);
		image.setRoi(outside, false);
		if (image.getRoi() != null) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputConverter.convert(
				image, ConvertOptions.defaults()));
			assertTrue(e.getMessage().contains("outside the image"), e.getMessage());
		}
	}

	/** Images (or selections) smaller than 2x2 are refused with a clear message. */
	@Test
	void tooSmall() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputConverter.convert(
			new ImagePlus("dot", new ByteProcessor(1, 1)), ConvertOptions.defaults()));
		assertTrue(e.getMessage().contains("at least 2x2"), e.getMessage());
	}

	/** {@link ConvertOptions}: bad percentiles and channel lists are named. */
	@Test
	void badOptions() {
		assertThrows(IllegalArgumentException.class, () -> ConvertOptions.defaults().withPercentiles(50, 40));
		assertThrows(IllegalArgumentException.class, () -> ConvertOptions.defaults().withRgbChannels(1, 2));
		assertThrows(IllegalArgumentException.class, () -> ConvertOptions.defaults().withRgbChannels(0, 0, 0));
	}

	/** The input is not modified by a conversion. */
	@Test
	void inputUnchanged() {
		final ImagePlus image = ramp16(16, 12);
		final short[] before = ((short[]) image.getProcessor().getPixels()).clone();
		InputConverter.convert(image, ConvertOptions.defaults());
		assertArrayEquals(before, (short[]) image.getProcessor().getPixels());
	}

	/** A time series (one Z plane, 3 frames): allPlanes walks T. */
	@Test
	void framesAllPlanes() {
		final ImageStack stack = new ImageStack(8, 6);
		for (int t = 0; t < 3; t++) stack.addSlice(new ByteProcessor(8, 6));
		final ImagePlus image = new ImagePlus("movie", stack);
		image.setDimensions(1, 1, 3);
		image.setOpenAsHyperStack(true);
		final List<ConvertedPlane> all = InputConverter.convert(image, ConvertOptions.defaults().withAllPlanes(true));
		assertEquals(List.of(1, 2, 3), all.stream().map(ConvertedPlane::frame).toList());
		assertEquals(List.of(1, 1, 1), all.stream().map(ConvertedPlane::slice).toList());
	}
}
