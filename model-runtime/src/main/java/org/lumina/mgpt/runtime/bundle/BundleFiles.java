package org.lumina.mgpt.runtime.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * The files of a model bundle ({@code files} in the manifest).
 *
 * @param decoder the Chameleon decoder graph ({@code decoder.onnx})
 * @param vqEncoder the VQGAN encoder graph, pixels to codes
 * @param vqDecoder the VQGAN decoder graph, codes to pixels
 * @param tokenizer the Hugging Face {@code tokenizer.json}
 */
public record BundleFiles(BundleFile decoder, BundleFile vqEncoder, BundleFile vqDecoder, BundleFile tokenizer) {

	/** @return every file of the bundle, each followed by its external-data files; a new list */
	public List<BundleFile> all() {
		final List<BundleFile> all = new ArrayList<>();
		for (final BundleFile file : List.of(decoder, vqEncoder, vqDecoder, tokenizer)) {
			all.add(file);
			all.addAll(file.externalData());
		}
		return all;
	}
}
