package org.lumina.mgpt.plugin.command;

import java.util.Locale;

import org.lumina.mgpt.plugin.core.Progress;
import org.scijava.app.StatusService;

/**
 * Shows a task runner's progress in SciJava's status bar (Fiji's, or the log of a headless
 * context): the phase, then tokens done of the most there can be, the answer image's rows done,
 * tokens per second and the time left at that rate. The text is refreshed at most once a second, so the bar is not flooded.
 */
final class StatusProgress implements Progress {

	private static final long REFRESH_NANOS = 1_000_000_000L;

	private final StatusService status;
	private String phase;
	private long phaseStart;
	private long lastText;
	private String rows = "";

	StatusProgress(final StatusService status) {
		this.status = status;
	}

	// -- Progress methods --

	@Override
	public void update(final String newPhase, final int done, final int total) {
		if (status == null) return;
		final long now = System.nanoTime();
		if (!newPhase.equals(phase)) {
			phase = newPhase;
			phaseStart = now;
			lastText = now;
			rows = "";
			status.showStatus(done, Math.max(total, 1), "Lumina-mGPT " + phase);
			return;
		}
		if (total <= 0) return;
		if (now - lastText >= REFRESH_NANOS) {
			lastText = now;
			status.showStatus(done, total, "Lumina-mGPT " + describe(phase + rows, done, total, now - phaseStart));
		}
		else status.showProgress(done, total);
	}

	@Override
	public void imageRows(final int done, final int total) {
		rows = " (image row " + done + " of " + total + ")";
	}

	/**
	 * @param elapsedNanos time since the phase started
	 * @return e.g. {@code "depth: plane 1/1: generating: 340 of at most 1100 tokens, 25.3 tokens/s,
	 *         at most 30 s left"}
	 */
	static String describe(final String phase, final int done, final int total, final long elapsedNanos) {
		final double seconds = elapsedNanos / 1e9;
		if (done <= 0 || seconds <= 0) return phase;
		final double rate = done / seconds;
		return String.format(Locale.ROOT, "%s: %d of at most %d tokens, %.1f tokens/s, at most %s left", phase, done,
			total, rate, duration((total - done) / rate));
	}

	private static String duration(final double seconds) {
		final long s = Math.round(seconds);
		if (s < 120) return s + " s";
		if (s < 7200) return (s / 60) + " min";
		return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
	}
}
