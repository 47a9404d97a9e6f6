package org.lumina.mgpt.plugin.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.command.DepthEstimationCommand;
import org.lumina.mgpt.plugin.command.LuminaCommands;
import org.lumina.mgpt.plugin.command.TextToImageCommand;
import org.lumina.mgpt.plugin.service.BundledModels;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.scijava.Context;

/** Tests {@link DialogFields}: the dialog of each command and the values it gives back. */
class DialogFieldsTest {

	/** Every dialog label starts with its field name, in snake_case, so macro key = field name. */
	@Test
	void macroKeysAreFieldNames() {
		for (final LuminaCommands.Entry entry : LuminaCommands.all()) {
			for (final DialogField f : DialogFields.of(entry.command(), null)) {
				assertEquals(f.name(), f.macroKey(), entry.label());
				assertTrue(f.name().matches("[a-z][a-z0-9_]*"), f.name());
			}
		}
	}

	/** Depth: no image field (the current image is passed), the advanced group, the defaults. */
	@Test
	void depthDialog() {
		final List<DialogField> fields = DialogFields.of(DepthEstimationCommand.class, null);
		final Map<String, DialogField> byName = fields.stream().collect(Collectors.toMap(DialogField::name, f -> f));
		assertEquals(List.of("model_dir", "seed", "cfg", "image_top_k", "text_top_k", "temperature", "top_p",
			"max_tokens", "jacobi_window", "all_planes", "rgb_channels", "selection_only", "low_percentile",
			"high_percentile", "add_overlay", "overlay_opacity"), fields.stream().map(DialogField::name).sorted(
				DialogFieldsTest::inOrder).collect(Collectors.toList()));
		assertFalse(byName.containsKey("image"));
		assertEquals("image", DialogFields.imageInput(DepthEstimationCommand.class));
		assertEquals(0L, byName.get("seed").defaultValue());
		assertEquals(DialogField.Kind.NUMBER, byName.get("seed").kind());
		assertEquals(0, byName.get("seed").digits());
		assertEquals(true, byName.get("add_overlay").defaultValue());
		assertEquals(DialogField.Kind.CHECKBOX, byName.get("add_overlay").kind());
		assertEquals(DialogField.Kind.DIRECTORY, byName.get("model_dir").kind());
		assertEquals("", byName.get("model_dir").defaultValue());
		assertTrue(byName.get("cfg").advanced());
		assertEquals(-1.0, byName.get("cfg").defaultValue());
		assertFalse(byName.get("all_planes").advanced());
	}

	/** Text to Image lists the model's sizes once a context knows the default model. */
	@Test
	void sizeChoicesComeFromTheModel() {
		System.setProperty("lumina.home", TestBundles.home().toString());
		try (Context context = TestBundles.context()) {
			final DialogField size = DialogFields.of(TextToImageCommand.class, context).stream().filter(f -> f.name()
				.equals("size")).findFirst().orElseThrow();
			assertEquals(DialogField.Kind.CHOICE, size.kind());
			assertEquals("auto", size.choices().get(0));
			// the bundled model's text-to-image bundle: its square training size is one of its candidates
			final int target = ManifestReader.read(ModelFolder.bundleFor(BundledModels.preferred().orElseThrow(),
				TaskFamily.TEXT_TO_IMAGE)).targetSize();
			assertTrue(size.choices().contains(target + "x" + target), size.choices().toString());
			assertNull(DialogFields.imageInput(TextToImageCommand.class));
		}
		finally {
			System.clearProperty("lumina.home");
		}
	}

	/** Dialog values (numbers are doubles) become typed command inputs. */
	@Test
	void convertsValues() {
		final List<DialogField> fields = DialogFields.of(DepthEstimationCommand.class, null);
		final List<Object> values = new ArrayList<>();
		for (final DialogField f : fields) {
			switch (f.name()) {
				case "seed": values.add(7.0); break;
				case "image_top_k": values.add(5.0); break;
				case "model_dir": values.add("/m"); break;
				default: values.add(f.kind() == DialogField.Kind.NUMBER ? ((Number) f.defaultValue()).doubleValue() : f
					.defaultValue());
			}
		}
		final Map<String, Object> inputs = DialogFields.toInputs(fields, values);
		assertEquals(7L, inputs.get("seed"));
		assertEquals(5, inputs.get("image_top_k"));
		assertEquals(new File("/m"), inputs.get("model_dir"));
		assertEquals(true, inputs.get("add_overlay"));
		assertEquals(0.5, inputs.get("overlay_opacity"));
		values.set(names(fields).indexOf("image_top_k"), 2.5);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DialogFields.toInputs(
			fields, values));
		assertTrue(e.getMessage().startsWith("image_top_k"), e.getMessage());
	}

	/** An empty folder field means "not given". */
	@Test
	void emptyFolderIsNull() {
		final List<DialogField> fields = DialogFields.of(DepthEstimationCommand.class, null);
		final List<Object> values = new ArrayList<>();
		for (final DialogField f : fields) values.add(f.kind() == DialogField.Kind.NUMBER ? ((Number) f.defaultValue())
			.doubleValue() : f.defaultValue());
		assertNull(DialogFields.toInputs(fields, values).get("model_dir"));
	}

	// -- Helper methods --

	private static List<String> names(final List<DialogField> fields) {
		return fields.stream().map(DialogField::name).collect(Collectors.toList());
	}

	private static final List<String> ORDER = Arrays.asList("model_dir", "seed", "cfg", "image_top_k", "text_top_k",
		"temperature", "top_p", "max_tokens", "jacobi_window", "all_planes", "rgb_channels", "selection_only",
		"low_percentile", "high_percentile", "add_overlay", "overlay_opacity");

	private static int inOrder(final String a, final String b) {
		return Integer.compare(ORDER.indexOf(a), ORDER.indexOf(b));
	}
}
