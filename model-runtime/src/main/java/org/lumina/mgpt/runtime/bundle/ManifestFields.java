package org.lumina.mgpt.runtime.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.lumina.mgpt.runtime.ModelException;

/**
 * Typed, validated access to one JSON object of the manifest. Every failure is a
 * {@link ModelException} that names the full key (e.g. {@code decoder.num_layers}), what was
 * expected and what was found.
 */
final class ManifestFields {

	static final String MANIFEST = "lumina-model.json";

	private final Path bundle;
	private final String prefix;
	private final JsonNode node;

	ManifestFields(final Path bundle, final String prefix, final JsonNode node) {
		this.bundle = bundle;
		this.prefix = prefix;
		this.node = node;
	}

	/** @return the full key of this object, e.g. {@code files.decoder} */
	String prefix() {
		return prefix;
	}

	/** @return the full key of {@code key} inside this object, e.g. {@code decoder.num_layers} */
	String key(final String key) {
		return prefix.isEmpty() ? key : prefix + "." + key;
	}

	ModelException error(final String key, final String problem) {
		return new ModelException(bundle, MANIFEST + ": key '" + key(key) + "' " + problem);
	}

	boolean has(final String key) {
		final JsonNode value = node.get(key);
		return value != null && !value.isNull();
	}

	String string(final String key) {
		final JsonNode value = required(key);
		if (!value.isTextual() || value.asText().isBlank()) throw error(key, "must be a non-empty string, got " + value);
		return value.asText();
	}

	String optionalString(final String key, final String fallback) {
		return has(key) ? string(key) : fallback;
	}

	boolean bool(final String key) {
		final JsonNode value = required(key);
		if (!value.isBoolean()) throw error(key, "must be true or false, got " + value);
		return value.asBoolean();
	}

	boolean optionalBool(final String key, final boolean fallback) {
		return has(key) ? bool(key) : fallback;
	}

	int integer(final String key, final int min) {
		final JsonNode value = required(key);
		if (!value.isIntegralNumber() || !value.canConvertToInt()) {
			throw error(key, "must be an integer, got " + value);
		}
		if (value.asInt() < min) throw error(key, "must be at least " + min + ", got " + value.asInt());
		return value.asInt();
	}

	double number(final String key, final double min) {
		final JsonNode value = required(key);
		if (!value.isNumber()) throw error(key, "must be a number, got " + value);
		if (value.asDouble() < min) throw error(key, "must be at least " + min + ", got " + value.asDouble());
		return value.asDouble();
	}

	ManifestFields object(final String key) {
		final JsonNode value = required(key);
		if (!value.isObject()) throw error(key, "must be a JSON object, got " + value.getNodeType());
		return new ManifestFields(bundle, key(key), value);
	}

	Optional<ManifestFields> optionalObject(final String key) {
		return has(key) ? Optional.of(object(key)) : Optional.empty();
	}

	/** @return the objects of an optional array; empty when the key is absent */
	List<ManifestFields> objects(final String key) {
		final List<ManifestFields> list = new ArrayList<>();
		if (!has(key)) return list;
		final JsonNode value = node.get(key);
		if (!value.isArray()) throw error(key, "must be a JSON array, got " + value.getNodeType());
		for (int i = 0; i < value.size(); i++) {
			final String element = key(key) + "[" + i + "]";
			if (!value.get(i).isObject()) {
				throw new ModelException(bundle, MANIFEST + ": key '" + element + "' must be a JSON object, got " + value.get(i));
			}
			list.add(new ManifestFields(bundle, element, value.get(i)));
		}
		return list;
	}

	/** @return the raw JSON of this object */
	JsonNode json() {
		return node;
	}

	private JsonNode required(final String key) {
		if (!has(key)) throw error(key, "is missing");
		return node.get(key);
	}
}
