package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.measure.ResultsTable;

/** Tests {@link ModelManagerCommand}. */
class ModelManagerCommandTest {

	/** The table names the bundle, its sizes and files, and the checksums are verified. */
	@Test
	void describesTheTinyBundle() throws Exception {
		try (Context context = TestBundles.context()) {
			final CommandModule module = context.service(CommandService.class).run(ModelManagerCommand.class, true, Map.of(
				"model_dir", TestBundles.tiny().toFile(), "verify_checksums", true)).get();
			final ResultsTable table = (ResultsTable) module.getOutput("model");
			final Map<String, String> rows = new HashMap<>();
			final StringBuilder files = new StringBuilder();
			for (int i = 0; i < table.size(); i++) {
				rows.put(table.getStringValue("property", i), table.getStringValue("value", i));
				if (table.getStringValue("property", i).equals("file")) files.append(table.getStringValue("value", i));
			}
			assertEquals("tiny-random", rows.get("name"));
			assertEquals("true", rows.get("random_weights"));
			assertEquals("512", rows.get("target_size"));
			assertEquals("verified", rows.get("checksums"));
			assertTrue(rows.get("decoder").startsWith("2 layers, 4 heads x 16"), rows.get("decoder"));
			assertTrue(files.toString().contains("decoder.onnx.data"), files.toString());
			assertTrue(files.toString().contains("tokenizer.json"), files.toString());
			assertEquals("text_to_image, image_to_image, text", rows.get("families"));
		}
	}

	/** A folder of bundles lists each bundle with the task families it was trained for. */
	@Test
	void listsEachBundleOfAFolder(@TempDir final Path models) throws Exception {
		final Path captions = TestBundles.tinyManifest(models.resolve("captions"), TaskFamily.TEXT);
		final Path dense = TestBundles.tinyManifest(models.resolve("dense"), TaskFamily.IMAGE_TO_IMAGE);
		try (Context context = TestBundles.context()) {
			final CommandModule module = context.service(CommandService.class).run(ModelManagerCommand.class, true, Map.of(
				"model_dir", models.toFile(), "verify_checksums", false)).get();
			final ResultsTable table = (ResultsTable) module.getOutput("model");
			final List<String> bundles = new ArrayList<>();
			for (int i = 0; i < table.size(); i++) {
				final String property = table.getStringValue("property", i);
				if (property.equals("folder") || property.equals("families")) bundles.add(table.getStringValue("value", i));
			}
			assertEquals(List.of(captions.toString(), "text", dense.toString(), "image_to_image"), bundles);
		}
	}
}
