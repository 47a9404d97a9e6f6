package org.lumina.mgpt.plugin.command;

import org.lumina.mgpt.plugin.core.Progress;
import org.scijava.app.StatusService;

/**
 * Shows a task runner's progress in SciJava's status bar (Fiji's, or the log of a
 * headless context). Status text changes only when the phase does, so the bar is not flooded.
 */
final class StatusProgress implements Progress {

	private final StatusService status;
	private String lastPhase;

	StatusProgress(final StatusService status) {
		this.status = status;
	}

	// -- Progress methods --

	@Override
	public void update(final String phase, final int done, final int total) {
		if (status == null) return;
		if (!phase.equals(lastPhase)) {
			lastPhase = phase;
			status.showStatus(done, Math.max(total, 1), "Lumina-mGPT " + phase);
		}
		else if (total > 0) status.showProgress(done, total);
	}
}
