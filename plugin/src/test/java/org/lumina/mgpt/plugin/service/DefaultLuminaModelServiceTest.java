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
import org.lumina.mgpt.runtime.Model;
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

	/** The second request for a bundle (by another path spelling) gets the open model. */
	@Test
	void keepsOpenModels() {
		final Model first = service.model(TestBundles.tiny());
		final Model second = service.model(TestBundles.tiny().resolve("../tiny-random"));
		assertSame(first, second);
		assertEquals(1, service.openModelCount());
	}

	/** Another device or thread count opens the bundle again; dispose closes every model. */
	@Test
	void keysByDeviceAndThreadsAndClosesOnDispose() {
		service.setSettings(new LuminaSettings("cpu", 1, ""));
		service.model(TestBundles.tiny());
		service.setSettings(new LuminaSettings("cpu", 2, ""));
		service.model(TestBundles.tiny());
		assertEquals(2, service.openModelCount());
		service.dispose();
		assertEquals(0, service.openModelCount());
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
	void resolvesBundles() {
		System.setProperty("lumina.home", TestBundles.home().toString());
		try {
			assertEquals(TestBundles.home().resolve("model-runtime/models").resolve(BundledModels.preferred().get()
				.getFileName()), service.resolveBundle(null));
			service.setSettings(new LuminaSettings("auto", 0, "/somewhere/else"));
			assertEquals(Path.of("/somewhere/else"), service.resolveBundle(new File("")));
			assertEquals(Path.of("/given"), service.resolveBundle(new File("/given")));
		}
		finally {
			System.clearProperty("lumina.home");
		}
	}

	/** A missing folder is named in the error. */
	@Test
	void missingFolder() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.model(Path.of(
			"/no/such/bundle")));
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
