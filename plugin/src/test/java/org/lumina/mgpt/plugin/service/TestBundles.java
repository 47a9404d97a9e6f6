package org.lumina.mgpt.plugin.service;

import java.nio.file.Files;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.prefs.PrefService;

/** The committed tiny bundle and a minimal SciJava context for plugin tests. */
public final class TestBundles {

	private TestBundles() {}

	/** @return the repository root (the folder above the module running the tests) */
	public static Path home() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
	}

	/** @return {@code model-runtime/models/tiny-random} */
	public static Path tiny() {
		final Path bundle = home().resolve("model-runtime/models/tiny-random");
		if (!Files.isRegularFile(bundle.resolve("lumina-model.json"))) {
			throw new IllegalStateException("the tiny test bundle is missing at " + bundle);
		}
		return bundle;
	}

	/** @return a context with the services the commands need; close it */
	public static Context context() {
		return new Context(CommandService.class, StatusService.class, LogService.class, PrefService.class,
			LuminaModelService.class);
	}
}
