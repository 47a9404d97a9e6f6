package org.lumina.mgpt.runtime.bundle;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.lumina.mgpt.runtime.TokenRange;

/** Reads the sections of the manifest into their records, checking each value's type and range. */
final class ManifestSections {

	private static final Set<String> KV_DTYPES = Set.of("float32", "float16");

	private ManifestSections() {}

	/**
	 * NB: absent means every family: real checkpoints are trained on all tasks; a small model
	 * trained on some families names them, so that a folder may hold one bundle per family.
	 */
	static Set<TaskFamily> families(final ManifestFields root) {
		if (!root.has("families")) return EnumSet.allOf(TaskFamily.class);
		final JsonNode list = root.json().get("families");
		final String known = "; the task families are " + TaskFamily.keys(EnumSet.allOf(TaskFamily.class));
		if (!list.isArray() || list.isEmpty()) {
			throw root.error("families", "must be a non-empty JSON array of task family names, got " + list + known);
		}
		final Set<TaskFamily> families = EnumSet.noneOf(TaskFamily.class);
		for (final JsonNode name : list) {
			families.add(TaskFamily.ofKey(name.asText()).orElseThrow(() -> root.error("families", "names an unknown " +
				"task family " + name + known)));
		}
		return families;
	}

	static TokenIds tokens(final ManifestFields tokens) {
		final int first = tokens.integer("image_token_first", 0);
		final int last = tokens.integer("image_token_last", 0);
		if (last < first) {
			throw tokens.error("image_token_last", "must be at least image_token_first (" + first + "), got " + last);
		}
		final String placeholder = tokens.string("image_placeholder");
		return new TokenIds(tokens.integer("bos", 0), tokens.integer("pad", 0), tokens.integer("separator", 0),
			tokens.integer("image_start", 0), tokens.integer("image_end", 0), tokens.integer("end_of_line", 0),
			tokens.integer("size_base", 0), placeholder, new TokenRange(first, last), tokens.integer("codebook_size", 1));
	}

	static DecoderSpec decoder(final ManifestFields decoder) {
		if (decoder.has("kv_dims") && !decoder.string("kv_dims").equals(KvLayout.LEGACY_DIMS)) {
			throw decoder.error("kv_dims", "must be \"" + KvLayout.LEGACY_DIMS + "\", got \"" + decoder.string("kv_dims") +
				"\"");
		}
		final String kvDtype = decoder.string("kv_dtype");
		if (!KV_DTYPES.contains(kvDtype)) {
			throw decoder.error("kv_dtype", "must be one of " + KV_DTYPES + ", got \"" + kvDtype + "\"");
		}
		return new DecoderSpec(decoder.integer("num_layers", 1), decoder.integer("num_heads", 1),
			decoder.integer("head_dim", 1), decoder.integer("hidden_size", 1), decoder.integer("vocab_size", 1),
			decoder.integer("max_positions", 1), decoder.string("dtype"), weightFormat(decoder), kvDtype,
			decoder.optionalBool("has_num_logits_to_keep", false), kvLayout(decoder));
	}

	/** NB: an absent key means {@code concat}, the only layout before the key named one. */
	private static KvLayout kvLayout(final ManifestFields decoder) {
		final String key = decoder.optionalString("kv_layout", KvLayout.CONCAT.key());
		return KvLayout.ofKey(key).orElseThrow(() -> decoder.error("kv_layout", "must be one of " + KvLayout
			.describeKeys() + ", got \"" + key + "\"; a bundle from a newer exporter needs an updated Lumina-mGPT plugin"));
	}

	/** NB: a format this runtime does not know is refused here, not left to fail inside ONNX Runtime. */
	private static WeightFormat weightFormat(final ManifestFields decoder) {
		final String key = decoder.optionalString("weights", WeightFormat.FULL.key());
		return WeightFormat.ofKey(key).orElseThrow(() -> decoder.error("weights", "must be one of " + Arrays.stream(
			WeightFormat.values()).map(WeightFormat::key).toList() + ", got \"" + key +
			"\"; a bundle from a newer exporter needs an updated Lumina-mGPT plugin"));
	}

	static VqSpec vq(final ManifestFields vq) {
		return new VqSpec(vq.integer("downsample", 1), vq.integer("codebook_size", 1), vq.integer("embed_dim", 1));
	}

	static SamplingDefaults samplingDefaults(final ManifestFields family) {
		final OptionalInt maxNewTokens = family.has("max_new_tokens") ? OptionalInt.of(family.integer("max_new_tokens", 1))
			: OptionalInt.empty();
		return new SamplingDefaults(family.number("cfg", 0), family.integer("image_top_k", 1),
			family.integer("text_top_k", 1), family.number("temperature", 0), maxNewTokens);
	}

	static OutputConventions outputs(final Optional<ManifestFields> outputs) {
		if (outputs.isEmpty()) return OutputConventions.none();
		final Map<String, JsonNode> byTask = new LinkedHashMap<>();
		outputs.get().json().fields().forEachRemaining(entry -> {
			final JsonNode value = entry.getValue();
			if (value.isObject()) {
				byTask.put(entry.getKey(), value);
			}
			else if (!(value.isTextual() && value.asText().equals(OutputConventions.UNKNOWN))) {
				throw outputs.get().error(entry.getKey(),
					"must be a JSON object or \"" + OutputConventions.UNKNOWN + "\", got " + value);
			}
		});
		return new OutputConventions(byTask);
	}
}
