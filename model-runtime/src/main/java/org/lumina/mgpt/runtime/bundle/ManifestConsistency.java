package org.lumina.mgpt.runtime.bundle;

import static org.lumina.mgpt.runtime.bundle.ManifestFields.MANIFEST;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lumina.mgpt.runtime.ModelException;

/** Checks that the sections of a manifest agree with each other; each message names the keys. */
final class ManifestConsistency {

	/** NB: the Uni-Rep layout needs two codes per size-token unit of 32 px. */
	private static final int DOWNSAMPLE = 16;

	private ManifestConsistency() {}

	static void check(final ModelManifest m) {
		final TokenIds t = m.tokens();
		if (t.imageTokens().size() != t.codebookSize()) {
			throw error(m, "tokens.image_token_first..image_token_last (" + t.imageTokens().first() + ".." +
				t.imageTokens().last() + ") holds " + t.imageTokens().size() + " ids but tokens.codebook_size is " +
				t.codebookSize() + "; they must be equal");
		}
		if (m.vq().codebookSize() != t.codebookSize()) {
			throw error(m, "vq.codebook_size (" + m.vq().codebookSize() + ") must equal tokens.codebook_size (" +
				t.codebookSize() + ")");
		}
		if (m.vq().downsample() != DOWNSAMPLE) {
			throw error(m, "vq.downsample must be " + DOWNSAMPLE + " (two codes per 32 px size unit), got " +
				m.vq().downsample());
		}
		final DecoderSpec d = m.decoder();
		if (d.hiddenSize() != d.numHeads() * d.headDim()) {
			throw error(m, "decoder.hidden_size (" + d.hiddenSize() + ") must equal decoder.num_heads * decoder.head_dim (" +
				d.numHeads() + " * " + d.headDim() + ")");
		}
		checkSpecialIds(m, t);
	}

	private static void checkSpecialIds(final ModelManifest m, final TokenIds t) {
		final Map<String, Integer> ids = new LinkedHashMap<>();
		ids.put("bos", t.bos());
		ids.put("pad", t.pad());
		ids.put("separator", t.separator());
		ids.put("image_start", t.imageStart());
		ids.put("image_end", t.imageEnd());
		ids.put("end_of_line", t.endOfLine());
		ids.put("size_base", t.sizeBase());
		final int vocabSize = m.decoder().vocabSize();
		for (final Map.Entry<String, Integer> e : ids.entrySet()) {
			if (e.getValue() >= vocabSize) {
				throw error(m, "tokens." + e.getKey() + " (" + e.getValue() + ") must be below decoder.vocab_size (" +
					vocabSize + ")");
			}
			if (t.imageTokens().contains(e.getValue())) {
				throw error(m, "tokens." + e.getKey() + " (" + e.getValue() + ") lies inside the image token range " +
					t.imageTokens().first() + ".." + t.imageTokens().last());
			}
		}
		if (t.imageTokens().last() >= vocabSize) {
			throw error(m, "tokens.image_token_last (" + t.imageTokens().last() + ") must be below decoder.vocab_size (" +
				vocabSize + ")");
		}
		// the largest candidate side is twice the target size (a 4:1 image)
		final int largestSizeToken = t.sizeToken(2 * m.targetSize());
		if (largestSizeToken >= vocabSize) {
			throw error(m, "the size token for " + 2 * m.targetSize() + " px (tokens.size_base + " + m.targetSize() / 16 +
				" = " + largestSizeToken + ") must be below decoder.vocab_size (" + vocabSize + "); check target_size");
		}
	}

	private static ModelException error(final ModelManifest m, final String problem) {
		return new ModelException(m.directory(), MANIFEST + ": " + problem);
	}
}
