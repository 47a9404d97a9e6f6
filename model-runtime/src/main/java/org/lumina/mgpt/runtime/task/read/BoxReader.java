package org.lumina.mgpt.runtime.task.read;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

/**
 * Reads boxes the model drew into its answer image ({@code "encoding": "box_outline"} with the
 * outline {@code rgb}): pixels within {@link #TOLERANCE} (Euclidean RGB distance) of the outline
 * colour are grouped into 8-connected components, and each component's bounding box is a box.
 * Components smaller than {@code max(8, 4 * line_width)} pixels or whose bounding box is
 * thinner than 3 px on a side are specks and ignored. Boxes come sorted by area, largest first.
 * Immutable and thread-safe.
 */
public final class BoxReader implements OutputReader {

	/** How far (Euclidean distance in RGB, 0..441) a pixel may be from the outline colour. */
	public static final double TOLERANCE = 80;

	private final int[] outline;
	private final int minPixels;

	/**
	 * @param convention the manifest's {@code outputs.detect} object with {@code rgb} and an
	 *          optional {@code line_width} (default 2)
	 * @throws IllegalArgumentException naming the key when the encoding or colour is malformed
	 */
	public BoxReader(final JsonNode convention) {
		Conventions.requireEncoding("detect", convention, "box_outline");
		outline = Conventions.rgb("outputs.detect.rgb", convention.get("rgb"));
		final int lineWidth = Math.max(1, convention.path("line_width").asInt(2));
		minPixels = Math.max(8, 4 * lineWidth);
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return the boxes in answer-image pixels, largest first; empty when none was drawn
	 */
	public List<Box> boxes(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		Conventions.checkRgb(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final boolean[] mask = outlineMask(rgb, w, h);
		final boolean[] seen = new boolean[w * h];
		final int[] stack = new int[w * h];
		final List<Box> boxes = new ArrayList<>();
		for (int start = 0; start < mask.length; start++) {
			if (!mask[start] || seen[start]) continue;
			int top = 0;
			stack[top++] = start;
			seen[start] = true;
			int count = 0;
			int minX = w, minY = h, maxX = -1, maxY = -1;
			while (top > 0) {
				final int p = stack[--top];
				final int x = p % w;
				final int y = p / w;
				count++;
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
				minY = Math.min(minY, y);
				maxY = Math.max(maxY, y);
				for (int dy = -1; dy <= 1; dy++) {
					for (int dx = -1; dx <= 1; dx++) {
						final int nx = x + dx;
						final int ny = y + dy;
						if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
						final int q = ny * w + nx;
						if (mask[q] && !seen[q]) {
							seen[q] = true;
							stack[top++] = q;
						}
					}
				}
			}
			final int bw = maxX - minX + 1;
			final int bh = maxY - minY + 1;
			if (count >= minPixels && bw >= 3 && bh >= 3) boxes.add(new Box(minX, minY, bw, bh));
		}
		boxes.sort((a, b) -> Long.compare((long) b.width() * b.height(), (long) a.width() * a.height()));
		return boxes;
	}

	@Override
	public TaskOutput read(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		return new TaskOutput.Boxes(boxes(rgb));
	}

	private boolean[] outlineMask(final RandomAccessibleInterval<UnsignedByteType> rgb, final int w, final int h) {
		final boolean[] mask = new boolean[w * h];
		final RandomAccess<UnsignedByteType> in = Views.zeroMin(rgb).randomAccess();
		final double limit = TOLERANCE * TOLERANCE;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				in.setPosition(x, 0);
				in.setPosition(y, 1);
				double distance = 0;
				for (int c = 0; c < 3; c++) {
					in.setPosition(c, 2);
					final int d = in.get().get() - outline[c];
					distance += d * d;
				}
				mask[y * w + x] = distance <= limit;
			}
		}
		return mask;
	}
}
