package org.lumina.mgpt.plugin.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.command.LuminaCommands;
import org.scijava.plugin.Plugin;

/** Tests that {@code plugins.config} and {@link LuminaCommands} agree. */
class PluginsConfigTest {

	/** One menu entry per command, with the command's label and id, in order. */
	@Test
	void oneEntryPerCommand() throws IOException {
		final List<String> expected = new ArrayList<>();
		for (final LuminaCommands.Entry e : LuminaCommands.all()) {
			expected.add("Plugins>Lumina-mGPT, \"" + e.label() + "\", " + CommandBridge.class.getName() + "(\"" + e.id() +
				"\")");
		}
		final List<String> entries = new ArrayList<>();
		try (InputStream in = getClass().getResourceAsStream("/plugins.config")) {
			for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (!line.startsWith("#") && line.contains(CommandBridge.class.getName())) entries.add(line.trim());
			}
		}
		assertEquals(expected, entries);
	}

	/** Commands have no SciJava menu path, so Fiji shows each entry once (from plugins.config). */
	@Test
	void noSciJavaMenus() {
		for (final LuminaCommands.Entry e : LuminaCommands.all()) {
			final Plugin plugin = e.command().getAnnotation(Plugin.class);
			assertEquals("", plugin.menuPath(), e.command().getName());
			assertTrue(plugin.menu().length == 0, e.command().getName());
		}
	}
}
