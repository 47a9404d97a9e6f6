package org.lumina.mgpt.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The models open in this JVM, each loaded once and shared: keyed by canonical bundle folder,
 * device, CPU thread count and strict device placement, so the second command on the same model starts generating without
 * reloading. Commands hold a {@link Lease} while they use a model; {@link #release} closes an idle
 * model at once and a model in use when its last lease ends, so a release never pulls native
 * memory from under a running generation. Thread-safe: generations on one shared model run in
 * parallel, each with its own decoder sessions and KV caches.
 * <p>
 * The Fiji plugin's model service, the CLI and batch runs each hold one instance.
 */
public final class LoadedModels implements AutoCloseable {

	/** How often a command waiting for another command's load checks for its own cancellation. */
	private static final long WAIT_POLL_MILLIS = 100;

	/**
	 * What a loaded model is shared by.
	 *
	 * @param bundle the canonical bundle folder
	 */
	public record Key(Path bundle, Device device, int cpuThreads, boolean strictDevice) {

		@Override
		public String toString() {
			return bundle + " on " + device + (cpuThreads > 0 ? " (" + cpuThreads + " CPU threads)" : "") +
				(strictDevice ? ", strict" : "");
		}
	}

	/**
	 * A model as listed by {@link #loaded()} and {@link #release}.
	 *
	 * @param name the manifest's name, or {@code null} while it is still loading
	 * @param users commands using or loading it now
	 */
	public record Entry(Key key, String name, int users) {}

	private final Map<Key, Slot> slots = new LinkedHashMap<>();
	private final AtomicLong loads = new AtomicLong();

	/**
	 * Returns a lease on the model of {@code bundle} for {@code options}, loading it first unless
	 * it is loaded (or being loaded by another command, which this call then waits for).
	 *
	 * @param progress told of each load phase, or that this command waits for another's load;
	 *            cancelling it stops the load (or the wait)
	 * @throws ModelException when the bundle cannot be opened
	 * @throws CancellationException when {@code progress} was cancelled first
	 */
	public Lease acquire(final Path bundle, final ModelOptions options, final LoadProgress progress) {
		final Key key = new Key(canonical(bundle), options.device(), options.cpuThreads(), options.strictDevice());
		final Slot slot;
		synchronized (this) {
			slot = slots.computeIfAbsent(key, Slot::new);
			slot.users++;
		}
		boolean leased = false;
		try {
			lockForLoading(slot, progress);
			boolean loadedNow = false;
			try {
				if (slot.model == null) {
					slot.model = Model.open(key.bundle(), options, progress);
					loads.incrementAndGet();
					loadedNow = true;
				}
			}
			finally {
				slot.loading.unlock();
			}
			leased = true;
			return new Lease(slot, loadedNow);
		}
		finally {
			if (!leased) endUse(slot);
		}
	}

	/** @return the models open or being opened now, in the order they were first asked for */
	public synchronized List<Entry> loaded() {
		final List<Entry> entries = new ArrayList<>();
		for (final Slot slot : slots.values()) entries.add(slot.entry());
		return entries;
	}

	/**
	 * Forgets every model of {@code bundle} (any device): idle ones are closed now, ones in use
	 * when their last lease ends. The next {@link #acquire} loads the bundle again.
	 *
	 * @return the models released; those with {@code users > 0} close when their commands end
	 */
	public synchronized List<Entry> release(final Path bundle) {
		final Path canonical = canonical(bundle);
		return releaseWhere(key -> key.bundle().equals(canonical));
	}

	/** Releases every model, as {@link #release} does for one bundle. */
	public synchronized List<Entry> releaseAll() {
		return releaseWhere(key -> true);
	}

	/** @return how many times a bundle was actually loaded, for tests and the soak benchmark */
	public long loadCount() {
		return loads.get();
	}

	/** Releases every model ({@link #releaseAll()}). */
	@Override
	public void close() {
		releaseAll();
	}

	// -- Helper methods --

	private List<Entry> releaseWhere(final java.util.function.Predicate<Key> which) {
		final List<Entry> released = new ArrayList<>();
		for (final var it = slots.values().iterator(); it.hasNext();) {
			final Slot slot = it.next();
			if (!which.test(slot.key)) continue;
			it.remove();
			slot.released = true;
			released.add(slot.entry());
			if (slot.users == 0) slot.closeModel();
		}
		return released;
	}

	/** A command stops using (or gave up loading) {@code slot}'s model. */
	private synchronized void endUse(final Slot slot) {
		slot.users--;
		if (slot.users > 0) return;
		if (slot.released) slot.closeModel();
		else if (slot.model == null) slots.remove(slot.key, slot); // NB: the load failed: the next acquire retries
	}

	/** Takes the slot's load lock, telling {@code progress} when another command holds it. */
	private static void lockForLoading(final Slot slot, final LoadProgress progress) {
		try {
			if (slot.loading.tryLock()) return;
			progress.phase("waiting for another command that is loading this model", 0, 0);
			while (!slot.loading.tryLock(WAIT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
				if (progress.isCancelled()) throw new CancellationException("waiting for the model was cancelled");
			}
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted while waiting for the model");
		}
	}

	/** NB: a folder that does not resolve is passed on as given: {@link Model#open} names the problem. */
	private static Path canonical(final Path bundle) {
		try {
			return bundle.toRealPath();
		}
		catch (final IOException e) {
			return bundle.toAbsolutePath().normalize();
		}
	}

	/** One key's model and who uses it; counters are guarded by the enclosing instance. */
	private static final class Slot {

		final Key key;
		final ReentrantLock loading = new ReentrantLock();
		volatile Model model;
		int users;
		boolean released;

		Slot(final Key key) {
			this.key = key;
		}

		Entry entry() {
			final Model m = model;
			return new Entry(key, m == null ? null : m.manifest().name(), users);
		}

		void closeModel() {
			final Model m = model;
			model = null;
			if (m != null) m.close();
		}
	}

	/** A command's use of a shared model; close it when the command ends (idempotent). */
	public final class Lease implements AutoCloseable {

		private final Slot slot;
		private final Model model;
		private final boolean loadedNow;
		private final AtomicBoolean closed = new AtomicBoolean();

		private Lease(final Slot slot, final boolean loadedNow) {
			this.slot = slot;
			this.model = slot.model;
			this.loadedNow = loadedNow;
		}

		/** @return whether this acquire loaded the model (rather than finding it loaded), e.g. to log it once */
		public boolean loadedNow() {
			return loadedNow;
		}

		/** @return the model; do not close it, close the lease */
		public Model model() {
			if (closed.get()) throw new IllegalStateException("this model lease was closed");
			return model;
		}

		/** @return what the model is shared by */
		public Key key() {
			return slot.key;
		}

		@Override
		public void close() {
			if (closed.compareAndSet(false, true)) endUse(slot);
		}
	}
}
