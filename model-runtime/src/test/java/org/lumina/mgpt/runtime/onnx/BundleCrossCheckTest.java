package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.Model;
import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.ModelOptions;
import org.lumina.mgpt.runtime.TestBundles;

/** A manifest that does not match its ONNX graphs is refused with a message naming the mismatch. */
class BundleCrossCheckTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path bundle;

	@Test
	void vocabularySizeMismatchIsNamed() throws IOException {
		assertRefused(m -> ((ObjectNode) m.path("decoder")).put("vocab_size", 9280),
			"logits have 9216 entries but the manifest says vocab_size 9280");
	}

	@Test
	void layerCountMismatchIsNamed() throws IOException {
		assertRefused(m -> ((ObjectNode) m.path("decoder")).put("num_layers", 3),
			"the graph has 2 layers of KV cache but the manifest says num_layers 3");
	}

	@Test
	void cacheTypeMismatchIsNamed() throws IOException {
		assertRefused(m -> ((ObjectNode) m.path("decoder")).put("kv_dtype", "float16"),
			"past_key_values.0.key is FLOAT of rank 4, expected FLOAT16 of rank 4");
	}

	/** A concat graph under a manifest that says shared_buffer: the layout's own inputs are missing. */
	@Test
	void kvLayoutMismatchIsNamed() throws IOException {
		assertRefused(m -> ((ObjectNode) m.path("decoder")).put("kv_layout", "shared_buffer"),
			"(kv_layout shared_buffer): decoder.onnx has no tensor named seqlens_k");
	}

	@Test
	void logitsToKeepMismatchIsNamed() throws IOException {
		assertRefused(m -> ((ObjectNode) m.path("decoder")).put("has_num_logits_to_keep", false),
			"the graph has input num_logits_to_keep");
	}

	@Test
	void swappedVqGraphsAreRefused() throws IOException {
		copyTiny();
		Files.move(bundle.resolve("vq_encoder.onnx"), bundle.resolve("tmp.onnx"));
		Files.move(bundle.resolve("vq_decoder.onnx"), bundle.resolve("vq_encoder.onnx"));
		Files.move(bundle.resolve("tmp.onnx"), bundle.resolve("vq_decoder.onnx"));
		final String message = refusal();
		assertTrue(message.contains("vq_encoder.onnx must map 'pixels' to 'codes'"), message);
	}

	@Test
	void aDecoderGraphWithAnInputTheEngineDoesNotFeedIsRefusedByName() throws IOException {
		copyTiny();
		GraphInputs.addFloatInput(bundle.resolve("decoder.onnx"), "pixel_values");
		final String message = refusal();
		assertTrue(message.contains("unexpected inputs [pixel_values]"), message);
	}

	@Test
	void aVqGraphWithAnExtraInputIsRefusedByName() throws IOException {
		copyTiny();
		GraphInputs.addFloatInput(bundle.resolve("vq_decoder.onnx"), "noise");
		final String message = refusal();
		assertTrue(message.contains("vq_decoder.onnx must map 'codes' to 'pixels' but has inputs [") && message.contains(
			"noise"), message);
	}

	private void assertRefused(final Consumer<ObjectNode> change, final String message) throws IOException {
		copyTiny();
		final Path manifestFile = bundle.resolve("lumina-model.json");
		final ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
		change.accept(manifest);
		JSON.writeValue(manifestFile.toFile(), manifest);
		final String refused = refusal();
		assertTrue(refused.contains(message), refused);
		assertTrue(refused.contains("re-export the bundle"), refused);
	}

	/** @return the message of the {@link ModelException} that opening the bundle throws */
	private String refusal() {
		return assertThrows(ModelException.class, () -> Model.open(bundle, new ModelOptions(Device.CPU, 1, false)))
			.getMessage();
	}

	private void copyTiny() throws IOException {
		try (Stream<Path> files = Files.list(TestBundles.tiny())) {
			for (final Path file : (Iterable<Path>) files::iterator) {
				if (Files.isRegularFile(file)) Files.copy(file, bundle.resolve(file.getFileName()));
			}
		}
	}
}
