package org.lumina.mgpt.plugin.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.onnx.NativeObjects;
import org.scijava.Context;
import org.scijava.prefs.PrefService;

/** Tests {@link DefaultLuminaModelService}. */
class DefaultLuminaModelServiceTest {

	private Context context;
	private DefaultLuminaModelService service;

	@BeforeEach
	void setUp() {
		context = TestBundles.context();
		context.service(PrefService.class).clear(DefaultLuminaModelService.class);
		service = (DefaultLuminaModelService) context.service(LuminaModelService.class);
	}

	@AfterEach
	void tearDown() {
		context.service(PrefService.class).clear(DefaultLuminaModelService.class);
		context.dispose();
	}

	/** The second request for a bundle (by another path spelling) gets the loaded model. */
	@Test
	void keepsLoadedModels() {
		try (LoadedModels.Lease first = service.acquire(TestBundles.tiny(), LoadProgress.NONE);
			LoadedModels.Lease second = service.acquire(TestBundles.tiny().resolve("../tiny-random"), LoadProgress.NONE))
		{
			assertSame(first.model(), second.model());
			assertEquals(1, service.loaded().size());
			assertEquals(2, service.loaded().get(0).users());
		}
	}

	/** Another device or thread count loads the bundle again; dispose closes every model. */
	@Test
	void keysByDeviceAndThreadsAndClosesOnDispose() {
		final long before = NativeObjects.live();
		service.setSettings(new LuminaSettings("cpu", 1, ""));
		service.acquire(TestBundles.tiny(), LoadProgress.NONE).close();
		service.setSettings(new LuminaSettings("cpu", 2, ""));
		service.acquire(TestBundles.tiny(), LoadProgress.NONE).close();
		assertEquals(2, service.loaded().size());
		service.dispose();
		assertEquals(0, service.loaded().size());
		assertEquals(before, NativeObjects.live(), "every session closed");
	}

	/** Settings come back from the PrefService; the defaults when none are stored. */
	@Test
	void storesSettings() {
		assertEquals(LuminaSettings.DEFAULTS, service.settings());
		service.setSettings(new LuminaSettings("cuda:1", 3, "/models/x"));
		assertEquals(new LuminaSettings("cuda:1", 3, "/models/x"), service.settings());
	}

	/** model_dir wins, then the Settings folder, then the bundled model. */
	@Test
	void resolvesModelFolders() {
		System.setProperty("lumina.home", TestBundles.home().toString());
		try {
			assertEquals(TestBundles.home().resolve("model-runtime/models").resolve(BundledModels.preferred().get()
				.getFileName()), service.modelFolder(null));
			service.setSettings(new LuminaSettings("auto", 0, "/somewhere/else"));
			assertEquals(Path.of("/somewhere/else"), service.modelFolder(new File("")));
			assertEquals(Path.of("/given"), service.modelFolder(new File("/given")));
		}
		finally {
			System.clearProperty("lumina.home");
		}
	}

	/** A missing folder is named in the error. */
	@Test
	void missingFolder() {
		final ModelException e = assertThrows(ModelException.class, () -> service.acquire(Path.of("/no/such/bundle"),
			LoadProgress.NONE));
		assertTrue(e.getMessage().contains("/no/such/bundle"), e.getMessage());
	}

	/** Bad settings are refused, naming the field. */
	@Test
	void validatesSettings() {
		assertThrows(IllegalArgumentException.class, () -> new LuminaSettings("gpu", 0, ""));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LuminaSettings("cpu",
			-1, ""));
		assertTrue(e.getMessage().contains("cpu_threads"), e.getMessage());
	}
}
