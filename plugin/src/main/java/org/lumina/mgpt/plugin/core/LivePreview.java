package org.lumina.mgpt.plugin.core;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.lumina.mgpt.runtime.ImageSize;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.TokenListener;
import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.image.PixelNormalizer;
import org.lumina.mgpt.runtime.text.ImageTokenMap;
import org.lumina.mgpt.runtime.vq.CodeGrid;
import org.lumina.mgpt.runtime.vq.Segment;
import org.lumina.mgpt.runtime.vq.UniRep;
import org.lumina.mgpt.runtime.vq.VqDecoder;

import ij.process.ColorProcessor;

/**
 * Shows an answer image while it is generated: after a completed row, at most once every
 * {@link #MIN_INTERVAL_NANOS}, the codes so far are decoded by the VQ decoder on a background
 * thread (each refresh is a full VQ decode, too slow for the generating thread) and handed to
 * {@link Frames}, with the rows not generated yet dimmed. A refresh is skipped while the previous
 * one still decodes. Listens to one generation after another (a stack's planes): each restarts
 * the image.
 */
public final class LivePreview implements TokenListener, AutoCloseable {

	/** At most one refresh every 2 s. */
	public static final long MIN_INTERVAL_NANOS = 2_000_000_000L;

	/** Where preview frames go (a window in the GUI); called on the preview thread. */
	public interface Frames {

		/**
		 * @param frame the image at its generated size, rows from {@code rowsDone} on dimmed
		 * @param rowsDone latent rows generated (16 px each)
		 * @param rowsTotal latent rows of the image
		 */
		void show(ColorProcessor frame, int rowsDone, int rowsTotal);

		/** The generation ended: the real result follows. */
		void close();
	}

	private final VqDecoder vq;
	private final ImageTokenMap map;
	private final TokenIds ids;
	private final Frames frames;
	private final LongSupplier clock;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		final Thread t = new Thread(r, "lumina-preview");
		t.setDaemon(true);
		return t;
	});
	private final AtomicBoolean decoding = new AtomicBoolean();
	private int[] tokens = new int[1024];
	private int count;
	private long lastRefresh;
	private boolean refreshed;

	public LivePreview(final Model model, final Frames frames) {
		this(model.vqDecoder(), model.tokenizer().imageTokenMap(), model.manifest().tokens(), frames, System::nanoTime);
	}

	LivePreview(final VqDecoder vq, final ImageTokenMap map, final TokenIds ids, final Frames frames,
		final LongSupplier clock)
	{
		this.vq = vq;
		this.map = map;
		this.ids = ids;
		this.frames = frames;
		this.clock = clock;
	}

	// -- TokenListener methods --

	@Override
	public void onToken(final int token, final int index) {
		if (index == 0) count = 0; // NB: the next generation (plane) starts
		if (count == tokens.length) tokens = Arrays.copyOf(tokens, 2 * count);
		tokens[count++] = token;
	}

	@Override
	public void onImageRow(final int imageIndex, final int row, final int rowsTotal) {
		if (row + 1 >= rowsTotal) return; // NB: complete: the result itself is about to be shown
		final long now = clock.getAsLong();
		if (refreshed && now - lastRefresh < MIN_INTERVAL_NANOS) return;
		if (!decoding.compareAndSet(false, true)) return;
		refreshed = true;
		lastRefresh = now;
		final int[] snapshot = Arrays.copyOf(tokens, count);
		worker.execute(() -> {
			try {
				render(snapshot);
			}
			finally {
				decoding.set(false);
			}
		});
	}

	/** Waits for a refresh in flight (it uses the model), then closes the frames. */
	@Override
	public void close() {
		worker.shutdown();
		try {
			worker.awaitTermination(1, TimeUnit.MINUTES);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		frames.close();
	}

	// -- Helper methods --

	private void render(final int[] answer) {
		final List<Segment> segments;
		try {
			segments = UniRep.parse(answer, map, ids);
		}
		catch (final IllegalArgumentException e) {
			return; // NB: a malformed image is reported when generation ends; nothing to preview
		}
		if (segments.isEmpty() || !(segments.get(segments.size() - 1) instanceof Segment.IncompleteImage open)) return;
		final CodeGrid codes = open.codesSoFar(map).orElse(null);
		if (codes == null) return;
		final ImageSize size = open.size().orElseThrow();
		final ColorProcessor frame = Rasters.rgb(PixelNormalizer.fromModelOutput(vq.decode(codes), size));
		dimFrom(frame, open.completeRows() * 16);
		frames.show(frame, open.completeRows(), codes.height());
	}

	/** Halves the brightness of rows {@code y0..}: they repeat the last generated row as a placeholder. */
	private static void dimFrom(final ColorProcessor frame, final int y0) {
		final int[] pixels = (int[]) frame.getPixels();
		for (int i = y0 * frame.getWidth(); i < pixels.length; i++) pixels[i] = pixels[i] >> 1 & 0x7F7F7F;
	}
}
