package org.lumina.mgpt.cli;

import org.lumina.mgpt.runtime.EngineInfo;

import picocli.CommandLine.IVersionProvider;

/** The engine's version, from its jar (for {@code --version} and {@code generation.json}). */
final class EngineVersion implements IVersionProvider {

	/** @return the version of {@code lumina-model-runtime}, or {@code "development"} outside a jar */
	static String engine() {
		return EngineInfo.version();
	}

	@Override
	public String[] getVersion() {
		return new String[] { "lumina (Lumina-mGPT for Fiji) engine " + engine() };
	}
}
