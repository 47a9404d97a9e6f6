package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes small fake bundles: the manifest of docs/bundle-format.md plus files with matching checksums. */
final class TestBundles {

	static final ObjectMapper JSON = new ObjectMapper();

	private static final String MANIFEST = """
		{
		  "format": "lumina-model", "format_version": 1,
		  "name": "tiny-random", "description": "Random weights (seed 1).",
		  "random_weights": true, "target_size": 512,
		  "files": {
		    "decoder":    {"path": "decoder.onnx", "sha256": "",
		                   "external_data": [{"path": "decoder.onnx.data", "sha256": ""}]},
		    "vq_encoder": {"path": "vq_encoder.onnx", "sha256": "", "external_data": []},
		    "vq_decoder": {"path": "vq_decoder.onnx", "sha256": "", "external_data": []},
		    "tokenizer":  {"path": "tokenizer.json", "sha256": ""}
		  },
		  "tokens": {"bos": 0, "pad": 1, "separator": 8710, "image_start": 8197, "image_end": 8196,
		             "end_of_line": 8803, "size_base": 8804, "image_placeholder": "<|image|>",
		             "image_token_first": 4, "image_token_last": 8195, "codebook_size": 8192},
		  "decoder": {"num_layers": 2, "num_heads": 4, "head_dim": 16, "hidden_size": 64,
		              "vocab_size": 9216, "max_positions": 1536, "dtype": "float32", "kv_dtype": "float32",
		              "kv_layout": "concat", "kv_dims": "batch,heads,positions,head_dim", "has_num_logits_to_keep": true},
		  "vq": {"downsample": 16, "codebook_size": 8192, "embed_dim": 8, "dtype": "float32"},
		  "sampling": {
		    "text_to_image":  {"cfg": 4.0, "image_top_k": 2000, "text_top_k": 10, "temperature": 1.0},
		    "image_to_image": {"cfg": 1.0, "image_top_k": 200,  "text_top_k": 10, "temperature": 1.0},
		    "text":           {"cfg": 1.0, "image_top_k": 2000, "text_top_k": 10, "temperature": 1.0,
		                       "max_new_tokens": 512}
		  },
		  "outputs": {
		    "depth": {"encoding": "grayscale", "near": "bright", "scale": "relative", "range": [0.0, 1.0]},
		    "pose": "unknown"
		  }
		}
		""";

	private TestBundles() {}

	/** @return the manifest of docs/bundle-format.md, checksums not yet filled in */
	static ObjectNode manifest() throws IOException {
		return (ObjectNode) JSON.readTree(MANIFEST);
	}

	/**
	 * Writes each file with its own name as content, fills in the checksums and writes the
	 * manifest.
	 *
	 * @return the manifest as written
	 */
	static ObjectNode write(final Path dir) throws IOException {
		final ObjectNode manifest = manifest();
		for (final String key : new String[] { "decoder", "vq_encoder", "vq_decoder", "tokenizer" }) {
			final ObjectNode file = (ObjectNode) manifest.path("files").path(key);
			fill(dir, file);
			file.path("external_data").forEach(data -> fill(dir, (ObjectNode) data));
		}
		writeManifest(dir, manifest);
		return manifest;
	}

	static void writeManifest(final Path dir, final ObjectNode manifest) throws IOException {
		JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("lumina-model.json").toFile(), manifest);
	}

	private static void fill(final Path dir, final ObjectNode file) {
		try {
			final Path path = Files.writeString(dir.resolve(file.get("path").asText()), "content of " + file.get("path")
				.asText(), StandardCharsets.UTF_8);
			file.put("sha256", FileHasher.SHA256.sha256(path));
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
