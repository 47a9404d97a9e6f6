package org.lumina.mgpt.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;

/**
 * The bookkeeping of one {@link Model#open}: announces each phase to the {@link LoadProgress},
 * stops between phases when it is cancelled, and closes what the load opened (newest first)
 * unless the load {@link #completed()}.
 */
final class LoadPhases implements AutoCloseable {

	private final LoadProgress progress;
	private final int count;
	private final Deque<AutoCloseable> opened = new ArrayDeque<>();
	private int index;
	private boolean completed;

	LoadPhases(final LoadProgress progress, final int count) {
		this.progress = progress;
		this.count = count;
	}

	/** @throws CancellationException when the load was cancelled */
	void next(final String phase) {
		if (progress.isCancelled()) throw new CancellationException("loading the model was cancelled");
		progress.phase(phase, ++index, count);
	}

	/** @return {@code resource}, closed when the load fails or is cancelled */
	<T extends AutoCloseable> T own(final T resource) {
		opened.push(resource);
		return resource;
	}

	/** The model owns everything now: nothing is closed. */
	void completed() {
		completed = true;
	}

	@Override
	public void close() {
		if (completed) return;
		while (!opened.isEmpty()) {
			try {
				opened.pop().close();
			}
			catch (final Exception e) {
				// NB: the load already failed; that failure is the one to report
			}
		}
	}
}
