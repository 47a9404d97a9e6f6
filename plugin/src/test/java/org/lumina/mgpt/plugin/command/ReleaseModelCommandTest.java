package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.plugin.service.LuminaSettings;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.LoadProgress;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.onnx.NativeObjects;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.prefs.PrefService;

import ij.measure.ResultsTable;

/** Tests {@link ReleaseModelCommand}. */
class ReleaseModelCommandTest {

	/** An idle model is closed at once; one in use stays usable and closes when its command ends. */
	@Test
	void releasesIdleModelsNowAndModelsInUseWhenTheirCommandsEnd() throws Exception {
		try (Context context = TestBundles.context()) {
			final LuminaModelService models = context.service(LuminaModelService.class);
			context.service(PrefService.class).clear(models.getClass());
			final long before = NativeObjects.live();
			models.setSettings(new LuminaSettings("cpu", 1, ""));
			final LoadedModels.Lease running = models.acquire(TestBundles.tiny(), LoadProgress.NONE);
			models.setSettings(new LuminaSettings("cpu", 2, ""));
			models.acquire(TestBundles.tiny(), LoadProgress.NONE).close();

			final ResultsTable table = release(context, null);
			assertEquals(2, table.size());
			final Map<String, String> states = new HashMap<>();
			for (int i = 0; i < table.size(); i++) states.put(table.getStringValue("state", i), table.getStringValue(
				"model", i));
			assertEquals(Map.of("closes when its 1 running command(s) end", "tiny-random", "closed", "tiny-random"),
				states);
			assertTrue(models.loaded().isEmpty());
			assertEquals(2, running.model().vqEncoder().encode(new float[3 * 32 * 32], 32, 32).width(),
				"the running command's model still works");
			running.close();
			assertEquals(before, NativeObjects.live(), "both models closed");
			context.service(PrefService.class).clear(models.getClass());
		}
	}

	/** Naming a bundle releases only its models; nothing loaded is said, not an error. */
	@Test
	void releasesOnlyTheNamedBundle() throws Exception {
		try (Context context = TestBundles.context()) {
			final LuminaModelService models = context.service(LuminaModelService.class);
			assertEquals(0, release(context, TestBundles.tiny().toFile()).size());
			models.acquire(TestBundles.tiny(), LoadProgress.NONE).close();
			assertEquals(0, release(context, TestBundles.tiny().resolveSibling("other").toFile()).size());
			assertEquals(1, models.loaded().size());
			assertEquals(1, release(context, TestBundles.tiny().toFile()).size());
			assertTrue(models.loaded().isEmpty());
		}
	}

	/** Naming a folder of bundles releases the models of every bundle beneath it. */
	@Test
	void releasesEveryBundleOfAFolder(@TempDir final Path models) throws Exception {
		final Path captions = TestBundles.tinyCopy(models.resolve("captions"), TaskFamily.TEXT);
		final Path dense = TestBundles.tinyCopy(models.resolve("dense"), TaskFamily.IMAGE_TO_IMAGE);
		try (Context context = TestBundles.context()) {
			final LuminaModelService service = context.service(LuminaModelService.class);
			service.acquire(captions, LoadProgress.NONE).close();
			service.acquire(dense, LoadProgress.NONE).close();
			service.acquire(TestBundles.tiny(), LoadProgress.NONE).close();
			final ResultsTable table = release(context, models.toFile());
			assertEquals(2, table.size());
			assertEquals(List.of(TestBundles.tiny().toRealPath()), service.loaded().stream().map(e -> e.key().bundle())
				.toList());
		}
	}

	private static ResultsTable release(final Context context, final File bundle) throws Exception {
		final Map<String, Object> inputs = new HashMap<>();
		inputs.put("model_dir", bundle);
		final CommandModule module = context.service(CommandService.class).run(ReleaseModelCommand.class, true, inputs)
			.get();
		return (ResultsTable) module.getOutput("released");
	}
}
