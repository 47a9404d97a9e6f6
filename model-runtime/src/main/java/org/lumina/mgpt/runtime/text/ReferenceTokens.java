package org.lumina.mgpt.runtime.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.bundle.TokenIds;

/**
 * The token strings of the reference code (spec §1.1) and the check that a bundle's
 * tokenizer gives them the ids its manifest declares. The manifest stays the source of the ids;
 * this catches a manifest and a tokenizer that do not belong together.
 */
final class ReferenceTokens {

	private ReferenceTokens() {}

	/**
	 * @throws ModelException naming the first token whose tokenizer id differs from the manifest,
	 *           or a text token that does not encode to exactly its own id
	 */
	static void check(final TokenizerVocabulary vocabulary, final TextTokenizer tokenizer, final TokenIds ids,
		final Path bundle)
	{
		final Map<String, Integer> expected = new LinkedHashMap<>();
		expected.put("<s>", ids.bos());
		expected.put("<pad>", ids.pad());
		expected.put("<reserved08706>", ids.separator());
		expected.put("<racm3:break>", ids.imageStart());
		expected.put("<eoss>", ids.imageEnd());
		expected.put("<reserved08799>", ids.endOfLine());
		expected.put("<reserved08800>", ids.sizeBase());
		expected.forEach((token, id) -> {
			final Integer actual = vocabulary.id(token);
			if (actual == null || actual != id.intValue()) {
				throw new ModelException(bundle, "the tokenizer gives " + token + " the id " + actual +
					" but lumina-model.json says " + id + "; the manifest and tokenizer.json do not belong together");
			}
		});
		final String placeholder = ids.imagePlaceholder();
		if (vocabulary.id(placeholder) == null) {
			throw new ModelException(bundle, "tokenizer.json lacks the image placeholder " + placeholder +
				" as an added token; re-export the bundle");
		}
		// NB: the chat template writes these two as text and relies on each becoming one token
		for (final String text : new String[] { placeholder, vocabulary.token(ids.separator()) }) {
			final int[] encoded = tokenizer.encode(text);
			if (encoded.length != 1 || encoded[0] != vocabulary.id(text)) {
				throw new ModelException(bundle, "the tokenizer splits " + text + " into " +
					Arrays.toString(encoded) + " instead of the single id " + vocabulary.id(text) +
					"; it must be an added token");
			}
		}
	}
}
