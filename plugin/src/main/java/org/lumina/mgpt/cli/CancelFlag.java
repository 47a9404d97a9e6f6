package org.lumina.mgpt.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Set when the user interrupts the CLI; generations poll it every step and stop within one step,
 * so outputs in progress are discarded rather than left half-written. Thread-safe.
 */
public final class CancelFlag implements BooleanSupplier {

	/** How long the shutdown hook waits for the running command to clean up. */
	private static final long GRACE_SECONDS = 10;

	private volatile boolean cancelled;
	private final CountDownLatch finished = new CountDownLatch(1);

	@Override
	public boolean getAsBoolean() {
		return cancelled;
	}

	/** Asks the running generation to stop. */
	public void cancel() {
		cancelled = true;
	}

	/**
	 * Best effort for Ctrl-C: a shutdown hook sets the flag, then waits (at most a few seconds) for
	 * {@link #finished()} so that the command can delete its temporary files.
	 */
	void installShutdownHook() {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			cancel();
			try {
				finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "lumina-cancel"));
	}

	/** Tells the shutdown hook that the command has returned. */
	void finished() {
		finished.countDown();
	}
}
