package org.lumina.mgpt.runtime.task.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

class BoxReaderTest {

	private static final String MAGENTA = "{'encoding': 'box_outline', 'rgb': [255, 0, 255], 'line_width': 2}";

	/** {@link BoxReader#boxes}: a drawn 2 px outline (slightly off colour) is found; a speck is not. */
	@Test
	void rectangleOutline() {
		final Box truth = new Box(10, 12, 30, 20);
		final Img<UnsignedByteType> rgb = AnswerImages.paint(64, 48, (x, y) -> {
			final boolean inX = x >= truth.x() && x < truth.x() + truth.width();
			final boolean inY = y >= truth.y() && y < truth.y() + truth.height();
			final boolean border = inX && inY && (x < truth.x() + 2 || x >= truth.x() + truth.width() - 2 || y < truth.y() +
				2 || y >= truth.y() + truth.height() - 2);
			if (border) return 240 << 16 | 20 << 8 | 235;
			if ((x == 55 || x == 56) && y == 5) return 255 << 16 | 255;
			return AnswerImages.gray(90 + (x + y) % 40);
		});
		assertEquals(List.of(truth), new BoxReader(AnswerImages.json(MAGENTA)).boxes(rgb));
	}

	/** {@link BoxReader#boxes}: two outlines give two boxes, largest first. */
	@Test
	void twoOutlines() {
		final Img<UnsignedByteType> rgb = AnswerImages.paint(64, 48, (x, y) -> {
			final boolean a = outline(x, y, 2, 2, 10, 10);
			final boolean b = outline(x, y, 20, 10, 40, 30);
			return a || b ? 255 << 16 | 255 : 0;
		});
		assertEquals(List.of(new Box(20, 10, 40, 30), new Box(2, 2, 10, 10)), new BoxReader(AnswerImages.json(MAGENTA))
			.boxes(rgb));
	}

	/**
	 * {@link BoxReader#boxes}: an outline drawn in pieces (gaps narrower than twice the line width,
	 * as generated answers come) is one box; pieces further apart stay apart.
	 */
	@Test
	void outlineWithGapsIsOneBox() {
		final String wide = "{'encoding': 'box_outline', 'rgb': [255, 0, 255], 'line_width': 6}";
		final Img<UnsignedByteType> rgb = AnswerImages.paint(128, 96, (x, y) -> {
			final boolean frame = thickOutline(x, y, 10, 10, 50, 40, 6);
			final boolean gaps = x >= 25 && x < 35 || y >= 28 && y < 39; // ends 11 and 12 px apart: joined
			final boolean far = thickOutline(x, y, 80, 60, 30, 30, 6) && !(x >= 92 && x < 105); // 14 px: apart
			return frame && !gaps || far ? 255 << 16 | 255 : AnswerImages.gray(100);
		});
		final List<Box> boxes = new BoxReader(AnswerImages.json(wide)).boxes(rgb);
		assertEquals(new Box(10, 10, 50, 40), boxes.get(0));
		assertEquals(List.of(new Box(80, 60, 12, 30), new Box(105, 60, 5, 30)), boxes.subList(1, 3));
		assertEquals(3, boxes.size());
	}

	private static boolean thickOutline(final int x, final int y, final int bx, final int by, final int w, final int h,
		final int line)
	{
		final boolean in = x >= bx && x < bx + w && y >= by && y < by + h;
		return in && (x < bx + line || x >= bx + w - line || y < by + line || y >= by + h - line);
	}

	private static boolean outline(final int x, final int y, final int bx, final int by, final int w, final int h) {
		final boolean in = x >= bx && x < bx + w && y >= by && y < by + h;
		return in && (x == bx || x == bx + w - 1 || y == by || y == by + h - 1);
	}
}
