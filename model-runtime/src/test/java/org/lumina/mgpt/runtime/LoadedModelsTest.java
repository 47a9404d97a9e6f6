package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.onnx.NativeObjects;
import org.lumina.mgpt.runtime.vq.CodeGrid;

/** Tests {@link LoadedModels}: load once, share, release, cancel. */
class LoadedModelsTest {

	private static final ModelOptions ONE_THREAD = ModelOptions.cpu().withCpuThreads(1);

	private final LoadedModels models = new LoadedModels();

	@AfterEach
	void closeAll() {
		models.close();
	}

	@Test
	void theSameBundleIsLoadedOnceWhateverThePathSpelling() {
		try (LoadedModels.Lease a = models.acquire(TestBundles.tiny(), ONE_THREAD, LoadProgress.NONE);
			LoadedModels.Lease b = models.acquire(TestBundles.tiny().resolve("../tiny-random"), ONE_THREAD,
				LoadProgress.NONE))
		{
			assertSame(a.model(), b.model());
			assertTrue(a.loadedNow() && !b.loadedNow(), "the first lease loaded the model, the second found it");
			assertEquals(1, models.loadCount());
			assertEquals(1, models.loaded().size());
			assertEquals(2, models.loaded().get(0).users());
			try (LoadedModels.Lease other = models.acquire(TestBundles.tiny(), ONE_THREAD.withCpuThreads(2),
				LoadProgress.NONE))
			{
				assertNotSame(a.model(), other.model(), "another thread count is another session");
				assertEquals(2, models.loadCount());
			}
		}
		assertEquals(0, models.loaded().get(0).users());
	}

	@Test
	void eachPhaseIsReportedInOrder() {
		final List<String> phases = new ArrayList<>();
		try (LoadedModels.Lease lease = models.acquire(TestBundles.tiny(), ONE_THREAD, (phase, index, count) -> phases
			.add(index + "/" + count + " " + phase)))
		{
			assertEquals(List.of("1/6 verifying checksums", "2/6 checking memory", "3/6 loading the tokenizer",
				"4/6 loading decoder.onnx", "5/6 loading vq_encoder.onnx", "6/6 loading vq_decoder.onnx"), phases);
		}
	}

	@Test
	void aCancelledLoadFreesWhatItOpenedAndCanBeRetried() {
		final long before = NativeObjects.live();
		for (final int stopBefore : new int[] { 1, 4, 6 }) {
			final LoadProgress cancelling = new LoadProgress() {

				private int started;

				@Override
				public void phase(final String phase, final int index, final int count) {
					started = index;
				}

				@Override
				public boolean isCancelled() {
					return started == stopBefore - 1;
				}
			};
			assertThrows(CancellationException.class, () -> models.acquire(TestBundles.tiny(), ONE_THREAD, cancelling),
				"cancelled before phase " + stopBefore);
			assertEquals(before, NativeObjects.live(), "sessions opened before phase " + stopBefore + " are closed");
			assertTrue(models.loaded().isEmpty(), "a cancelled load leaves no entry");
		}
		try (LoadedModels.Lease lease = models.acquire(TestBundles.tiny(), ONE_THREAD, LoadProgress.NONE)) {
			assertEquals(1, models.loadCount());
		}
	}

	@Test
	void aFailedLoadLeavesNoEntry() {
		final Path missing = TestBundles.tiny().resolveSibling("no-such-bundle");
		assertThrows(ModelException.class, () -> models.acquire(missing, ONE_THREAD, LoadProgress.NONE));
		assertTrue(models.loaded().isEmpty());
	}

	@Test
	void releaseClosesIdleModelsAtOnceAndModelsInUseWhenTheirLastLeaseEnds() {
		final long before = NativeObjects.live();
		final LoadedModels.Lease inUse = models.acquire(TestBundles.tiny(), ONE_THREAD, LoadProgress.NONE);
		final List<LoadedModels.Entry> released = models.release(TestBundles.tiny());
		assertEquals(1, released.size());
		assertEquals(1, released.get(0).users(), "reported as still in use");
		assertTrue(models.loaded().isEmpty(), "forgotten at once");
		final CodeGrid codes = inUse.model().vqEncoder().encode(new float[3 * 32 * 32], 32, 32);
		assertEquals(2, codes.width(), "the model still works for the command that holds it");
		assertTrue(NativeObjects.live() > before);
		inUse.close();
		assertEquals(before, NativeObjects.live(), "closed when the last lease ended");
		assertThrows(IllegalStateException.class, inUse::model);
		inUse.close(); // idempotent

		models.acquire(TestBundles.tiny(), ONE_THREAD, LoadProgress.NONE).close();
		assertEquals(2, models.loadCount(), "loaded again after a release");
		assertTrue(NativeObjects.live() > before, "idle but loaded");
		models.releaseAll();
		assertEquals(before, NativeObjects.live(), "an idle model is closed at once");
	}

	@Test
	void commandsAskingAtTheSameTimeShareOneLoad() throws Exception {
		final ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			final CountDownLatch start = new CountDownLatch(1);
			final List<Future<LoadedModels.Lease>> leases = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				leases.add(pool.submit(() -> {
					start.await();
					return models.acquire(TestBundles.tiny(), ONE_THREAD, LoadProgress.NONE);
				}));
			}
			start.countDown();
			final Model first = leases.get(0).get().model();
			for (final Future<LoadedModels.Lease> lease : leases) {
				assertSame(first, lease.get().model());
				lease.get().close();
			}
			assertEquals(1, models.loadCount());
		}
		finally {
			pool.shutdownNow();
		}
	}
}
