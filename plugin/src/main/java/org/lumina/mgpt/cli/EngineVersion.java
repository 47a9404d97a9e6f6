package org.lumina.mgpt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.lumina.mgpt.runtime.Model;

import picocli.CommandLine.IVersionProvider;

/** The engine's version, from its jar (for {@code --version} and {@code generation.json}). */
final class EngineVersion implements IVersionProvider {

	private static final String POM = "/META-INF/maven/org.lumina-mgpt/lumina-model-runtime/pom.properties";

	/** @return the version of {@code lumina-model-runtime}, or {@code "development"} outside a jar */
	static String engine() {
		final String manifest = Model.class.getPackage().getImplementationVersion();
		if (manifest != null) return manifest;
		try (InputStream in = Model.class.getResourceAsStream(POM)) {
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

	@Override
	public String[] getVersion() {
		return new String[] { "lumina (Lumina-mGPT for Fiji) engine " + engine() };
	}
}
