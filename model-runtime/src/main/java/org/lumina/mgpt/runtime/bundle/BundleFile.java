package org.lumina.mgpt.runtime.bundle;

import java.util.List;

/**
 * One file of a model bundle as the manifest lists it.
 *
 * @param key where the manifest names it, e.g. {@code files.decoder} or
 *          {@code files.decoder.external_data[0]}; used in messages
 * @param path the path relative to the bundle directory, e.g. {@code decoder.onnx}
 * @param sha256 the expected SHA-256, 64 lower-case hex digits
 * @param externalData the ONNX external-data files that belong to this file (empty if none)
 */
public record BundleFile(String key, String path, String sha256, List<BundleFile> externalData) {

	public BundleFile {
		externalData = List.copyOf(externalData);
	}
}
