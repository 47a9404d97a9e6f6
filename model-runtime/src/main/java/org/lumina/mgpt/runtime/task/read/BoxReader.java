package org.lumina.mgpt.runtime.task.read;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Reads boxes the model drew into its answer image ({@code "encoding": "box_outline"} with the
 * outline {@code rgb}): pixels within {@link #TOLERANCE} (Euclidean RGB distance) of the outline
 * colour are grouped into components, and each component's bounding box is a box. Pixels at most
 * {@code 2 * line_width} apart (in x and in y) belong to one component: a generated outline often comes
 * with gaps (a side fades where the image tokens blur it), and its pieces are one box, not several
 * small ones. Components of fewer than {@code max(8, 4 * line_width)} pixels or whose bounding
 * box is thinner than 3 px on a side are specks and ignored. Boxes come sorted by area, largest
 * first. Immutable and thread-safe.
 */
public final class BoxReader implements OutputReader {

	/** How far (Euclidean distance in RGB, 0..441) a pixel may be from the outline colour. */
	public static final double TOLERANCE = 80;

	private final PaletteClass outline;
	private final int minPixels;
	private final int reach; // pixels at most 2 * reach apart are joined

	/**
	 * @param convention the manifest's {@code outputs.detect} object with {@code rgb} and an
	 *          optional {@code line_width} (default 2)
	 * @throws IllegalArgumentException naming the key when the encoding or colour is malformed
	 */
	public BoxReader(final JsonNode convention) {
		Conventions.requireEncoding("detect", convention, "box_outline");
		final int[] rgb = Conventions.rgb("outputs.detect.rgb", convention.get("rgb"));
		outline = new PaletteClass("outline", rgb[0], rgb[1], rgb[2]);
		final int lineWidth = Math.max(1, convention.path("line_width").asInt(2));
		minPixels = Math.max(8, 4 * lineWidth);
		reach = lineWidth;
	}

	/**
	 * @param rgb the answer image, dims X, Y, C (C = 3); not modified
	 * @return the boxes in answer-image pixels, largest first; empty when none was drawn
	 */
	public List<Box> boxes(final RandomAccessibleInterval<UnsignedByteType> rgb) {
		final int[] pixels = Conventions.packed(rgb);
		final int w = Math.toIntExact(rgb.dimension(0));
		final int h = Math.toIntExact(rgb.dimension(1));
		final boolean[] mask = new boolean[pixels.length]; // the outline's colour
		final double limit = TOLERANCE * TOLERANCE;
		for (int i = 0; i < pixels.length; i++) mask[i] = Conventions.distanceSquared(pixels[i], outline) <= limit;
		final boolean[] joined = dilate(mask, w, h, reach);
		final boolean[] seen = new boolean[w * h];
		final int[] stack = new int[w * h];
		final List<Box> boxes = new ArrayList<>();
		for (int start = 0; start < mask.length; start++) {
			if (!mask[start] || seen[start]) continue;
			// NB: the fill walks the dilated mask, so pieces of one outline meet; only outline pixels count
			int top = 0;
			stack[top++] = start;
			seen[start] = true;
			int count = 0;
			int minX = w, minY = h, maxX = -1, maxY = -1;
			while (top > 0) {
				final int p = stack[--top];
				final int x = p % w;
				final int y = p / w;
				if (mask[p]) {
					count++;
					minX = Math.min(minX, x);
					maxX = Math.max(maxX, x);
					minY = Math.min(minY, y);
					maxY = Math.max(maxY, y);
				}
				for (int dy = -1; dy <= 1; dy++) {
					for (int dx = -1; dx <= 1; dx++) {
						final int nx = x + dx;
						final int ny = y + dy;
						if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
						final int q = ny * w + nx;
						if (joined[q] && !seen[q]) {
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

	/** @return {@code mask} grown by {@code r} pixels in x and y (a square of side 2r + 1) */
	private static boolean[] dilate(final boolean[] mask, final int w, final int h, final int r) {
		final boolean[] across = new boolean[mask.length];
		for (int y = 0; y < h; y++) {
			int last = Integer.MIN_VALUE / 2; // x of the last set pixel seen
			for (int x = 0; x < w + r; x++) {
				if (x < w && mask[y * w + x]) last = x;
				final int target = x - r; // set when a pixel lies in [target - r, target + r]
				if (target >= 0 && target < w) across[y * w + target] = x - last <= 2 * r;
			}
		}
		final boolean[] out = new boolean[mask.length];
		for (int x = 0; x < w; x++) {
			int last = Integer.MIN_VALUE / 2;
			for (int y = 0; y < h + r; y++) {
				if (y < h && across[y * w + x]) last = y;
				final int target = y - r;
				if (target >= 0 && target < h) out[target * w + x] = y - last <= 2 * r;
			}
		}
		return out;
	}
}
