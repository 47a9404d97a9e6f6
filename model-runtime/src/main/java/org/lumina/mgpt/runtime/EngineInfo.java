package org.lumina.mgpt.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this engine build, for provenance records and {@code --version}. */
public final class EngineInfo {

	private static final String POM = "/META-INF/maven/org.lumina-mgpt/lumina-model-runtime/pom.properties";

	private EngineInfo() {}

	/** @return the version of {@code lumina-model-runtime}, or {@code "development"} outside a jar */
	public static String version() {
		final String manifest = EngineInfo.class.getPackage().getImplementationVersion();
		if (manifest != null) return manifest;
		try (InputStream in = EngineInfo.class.getResourceAsStream(POM)) {
			if (in != null) {
				final Properties properties = new Properties();
				properties.load(in);
				return properties.getProperty("version", "development");
			}
		}
		catch (final IOException e) {
			// NB: fall through; a missing version is not worth failing for
		}
		return "development";
	}
}
