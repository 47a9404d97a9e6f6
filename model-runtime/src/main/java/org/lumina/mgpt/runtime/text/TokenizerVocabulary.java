package org.lumina.mgpt.runtime.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.lumina.mgpt.runtime.ModelException;

/**
 * The token string ↔ id table of a Hugging Face {@code tokenizer.json}: {@code model.vocab}
 * plus {@code added_tokens}. NB: DJL's tokenizer wrapper has no lookup by token, so the table is
 * read from the file itself.
 */
final class TokenizerVocabulary {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, Integer> ids;
	private final Map<Integer, String> tokens;

	private TokenizerVocabulary(final Map<String, Integer> ids) {
		this.ids = Collections.unmodifiableMap(ids);
		final Map<Integer, String> reverse = new HashMap<>();
		ids.forEach((token, id) -> reverse.put(id, token));
		this.tokens = reverse;
	}

	/**
	 * Reads the table from {@code tokenizerJson}.
	 *
	 * @throws ModelException when the file cannot be read or has no {@code model.vocab} object
	 */
	static TokenizerVocabulary read(final Path tokenizerJson) {
		final Path bundle = tokenizerJson.toAbsolutePath().getParent();
		final JsonNode root;
		try {
			root = JSON.readTree(tokenizerJson.toFile());
		}
		catch (final IOException e) {
			throw new ModelException(bundle, "cannot read " + tokenizerJson.getFileName() + ": " + e.getMessage(), e);
		}
		final JsonNode vocab = root == null ? null : root.path("model").get("vocab");
		if (vocab == null || !vocab.isObject()) {
			throw new ModelException(bundle, tokenizerJson.getFileName() + " has no model.vocab object (a BPE or " +
				"WordPiece tokenizer); re-export the bundle");
		}
		final Map<String, Integer> ids = new HashMap<>();
		vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
		for (final JsonNode added : root.path("added_tokens")) {
			ids.put(added.path("content").asText(), added.path("id").asInt());
		}
		return new TokenizerVocabulary(ids);
	}

	/** @return the id of {@code token}, or {@code null} when the vocabulary lacks it */
	Integer id(final String token) {
		return ids.get(token);
	}

	/** @return the token with {@code id}, or {@code null} */
	String token(final int id) {
		return tokens.get(id);
	}

	/** @return every token string with its id; unmodifiable */
	Map<String, Integer> ids() {
		return ids;
	}
}
