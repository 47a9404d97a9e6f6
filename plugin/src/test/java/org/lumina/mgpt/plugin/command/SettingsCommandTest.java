package org.lumina.mgpt.plugin.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.plugin.service.DefaultLuminaModelService;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.plugin.service.LuminaSettings;
import org.lumina.mgpt.plugin.service.TestBundles;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.prefs.PrefService;

/** Tests {@link SettingsCommand}. */
class SettingsCommandTest {

	/** The command stores the settings; a new context reads them back; the dialog starts from them. */
	@Test
	void storesSettings() throws Exception {
		try (Context context = TestBundles.context()) {
			final PrefService prefs = context.service(PrefService.class);
			prefs.clear(DefaultLuminaModelService.class);
			try {
				context.service(CommandService.class).run(SettingsCommand.class, true, Map.of("device", "cpu", "cpu_threads",
					2, "model_dir", new File("/models/mine"))).get();
				try (Context other = TestBundles.context()) {
					assertEquals(new LuminaSettings("cpu", 2, "/models/mine"), other.service(LuminaModelService.class)
						.settings());
				}
				assertEquals("/models/mine", new SettingsCommand().initialValue("model_dir", context, ""));
				assertEquals(2, new SettingsCommand().initialValue("cpu_threads", context, 0));

				context.service(CommandService.class).run(SettingsCommand.class, true, Map.of("device", "cuda", "gpu", 1,
					"cpu_threads", 0)).get();
				assertEquals("cuda:1", context.service(LuminaModelService.class).settings().device());
				assertEquals("cuda", new SettingsCommand().initialValue("device", context, ""));
				assertEquals(1, new SettingsCommand().initialValue("gpu", context, 0));
			}
			finally {
				prefs.clear(DefaultLuminaModelService.class);
			}
		}
	}
}
