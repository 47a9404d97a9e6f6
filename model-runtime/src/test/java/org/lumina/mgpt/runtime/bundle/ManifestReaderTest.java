package org.lumina.mgpt.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.TokenRange;
import org.lumina.mgpt.runtime.text.TinyTokenizer;

/** Tests {@link ManifestReader#read}. */
class ManifestReaderTest {

	@TempDir
	Path dir;

	@Test
	void documentedManifestIsRead() throws IOException {
		TestBundles.write(dir);
		final ModelManifest m = ManifestReader.read(dir);
		assertEquals("tiny-random", m.name());
		assertEquals("Random weights (seed 1).", m.description());
		assertTrue(m.randomWeights());
		assertEquals(512, m.targetSize());
		assertEquals(dir.toAbsolutePath().normalize(), m.directory());
		assertEquals(TinyTokenizer.IDS, m.tokens());
		assertEquals(new DecoderSpec(2, 4, 16, 64, 9216, 1536, "float32", WeightFormat.FULL, "float32", true,
			KvLayout.CONCAT), m.decoder());
		assertEquals(new VqSpec(16, 8192, 8), m.vq());
		assertEquals(new SamplingDefaults(4.0, 2000, 10, 1.0, OptionalInt.empty()), m.sampling(TaskFamily.TEXT_TO_IMAGE));
		assertEquals(new SamplingDefaults(1.0, 200, 10, 1.0, OptionalInt.empty()), m.sampling(TaskFamily.IMAGE_TO_IMAGE));
		assertEquals(OptionalInt.of(512), m.sampling(TaskFamily.TEXT).maxNewTokens());
		final BundleFile decoder = m.files().decoder();
		assertEquals("decoder.onnx", decoder.path());
		assertEquals("files.decoder", decoder.key());
		assertEquals("files.decoder.external_data[0]", decoder.externalData().get(0).key());
		assertEquals(List.of("decoder.onnx", "decoder.onnx.data", "vq_encoder.onnx", "vq_decoder.onnx", "tokenizer.json"),
			m.files().all().stream().map(BundleFile::path).toList());
		assertEquals(dir.toAbsolutePath().normalize().resolve("tokenizer.json"), m.resolve(m.files().tokenizer()));
		assertFalse(m.outputs().isUnknown("depth"));
		assertEquals("bright", m.outputs().convention("depth").orElseThrow().get("near").asText());
		assertTrue(m.outputs().isUnknown("pose"));
		assertTrue(m.outputs().isUnknown("normals"));
	}

	@Test
	void optionalKeysHaveDefaults() throws IOException {
		assertValid(m -> {
			m.remove("description");
			m.remove("random_weights");
			m.remove("outputs");
		});
		final ModelManifest m = ManifestReader.read(dir);
		assertEquals("", m.description());
		assertFalse(m.randomWeights());
		assertTrue(m.outputs().isUnknown("depth"));
	}

	/** No {@code families} means every family (real checkpoints); a subset is read; a bad list names the known families. */
	@Test
	void familiesAreReadAndAbsentMeansEvery() throws IOException {
		assertValid(m -> {});
		assertEquals(Set.of(TaskFamily.values()), ManifestReader.read(dir).families());
		assertValid(m -> m.putArray("families").add("text").add("text_to_image"));
		final ModelManifest subset = ManifestReader.read(dir);
		assertEquals(Set.of(TaskFamily.TEXT_TO_IMAGE, TaskFamily.TEXT), subset.families());
		assertTrue(subset.covers(TaskFamily.TEXT));
		assertFalse(subset.covers(TaskFamily.IMAGE_TO_IMAGE));
		final String known = "the task families are text_to_image, image_to_image, text";
		assertInvalid(m -> m.putArray("families").add("text").add("depth"),
			"key 'families' names an unknown task family \"depth\"; " + known);
		assertInvalid(m -> m.putArray("families"), "key 'families' must be a non-empty JSON array of task family " +
			"names, got []; " + known);
		assertInvalid(m -> m.put("families", "text"), "key 'families' must be a non-empty JSON array");
	}

	@Test
	void fourBitWeightsAreRead() throws IOException {
		assertValid(m -> ((ObjectNode) m.get("decoder")).put("weights", "int4").put("weight_block_size", 32));
		assertEquals(WeightFormat.INT4, ManifestReader.read(dir).decoder().weights());
		assertValid(m -> ((ObjectNode) m.get("decoder")).put("weights", "full"));
		assertEquals(WeightFormat.FULL, ManifestReader.read(dir).decoder().weights());
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("weights", "int3"),
			"'decoder.weights' must be one of [full, int4, float16_stored], got \"int3\"; a bundle from a newer exporter");
	}

	@Test
	void missingFolderOrManifestSaysWhatABundleIs() throws IOException {
		ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(dir.resolve("nowhere")));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
		e = assertThrows(ModelException.class, () -> ManifestReader.read(dir));
		assertTrue(e.getMessage().contains("not a Lumina-mGPT model bundle") && e.getMessage().contains(
			"lumina-model.json") && e.getMessage().contains("export.py"), e.getMessage());
		Files.writeString(dir.resolve("lumina-model.json"), "{ not json");
		e = assertThrows(ModelException.class, () -> ManifestReader.read(dir));
		assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
	}

	@Test
	void missingKeysAreNamed() throws IOException {
		assertInvalid(m -> m.remove("name"), "key 'name' is missing");
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).remove("num_layers"), "key 'decoder.num_layers' is missing");
		assertInvalid(m -> ((ObjectNode) m.get("sampling")).remove("text"), "key 'sampling.text' is missing");
		assertInvalid(m -> ((ObjectNode) m.path("files").path("decoder").path("external_data").get(0)).remove("sha256"),
			"key 'files.decoder.external_data[0].sha256' is missing");
	}

	@Test
	void wrongTypesAndRangesAreNamed() throws IOException {
		assertInvalid(m -> ((ObjectNode) m.get("tokens")).put("bos", "zero"), "key 'tokens.bos' must be an integer");
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("num_heads", 0), "'decoder.num_heads' must be at least 1");
		assertInvalid(m -> ((ObjectNode) m.path("sampling").path("text")).put("temperature", -1),
			"'sampling.text.temperature' must be at least 0");
		assertInvalid(m -> m.put("random_weights", "yes"), "'random_weights' must be true or false");
		assertInvalid(m -> m.put("files", 3), "'files' must be a JSON object");
		assertInvalid(m -> ((ObjectNode) m.path("files").path("tokenizer")).put("sha256", "abc"),
			"'files.tokenizer.sha256' must be 64 hexadecimal digits");
		assertInvalid(m -> ((ObjectNode) m.path("files").path("tokenizer")).put("path", "../tokenizer.json"),
			"'files.tokenizer.path' must be a path inside the bundle folder");
		assertInvalid(m -> ((ObjectNode) m.path("files").path("tokenizer")).put("path", "/etc/passwd"),
			"'files.tokenizer.path' must be a path inside the bundle folder");
		assertInvalid(m -> ((ObjectNode) m.path("files").path("decoder")).put("path", "graphs/../../decoder.onnx"),
			"'files.decoder.path' must be a path inside the bundle folder");
		for (final String outside : new String[] { "../other/tokenizer.json", "../shared", "../shared/../tokenizer.json",
			"../../shared/tokenizer.json" })
		{
			assertInvalid(m -> ((ObjectNode) m.path("files").path("tokenizer")).put("path", outside),
				"'files.tokenizer.path' must be a path inside the bundle folder, or inside the shared/ folder beside it");
		}
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("kv_dtype", "int8"), "'decoder.kv_dtype' must be one of");
		assertInvalid(m -> ((ObjectNode) m.get("outputs")).put("depth", 3), "'outputs.depth' must be a JSON object or");
		assertInvalid(m -> m.put("format", "other"), "'format' must be \"lumina-model\"");
		assertInvalid(m -> m.put("format_version", 2), "newer exporter");
	}

	@Test
	void badTargetSizeIsNamed() throws IOException {
		assertInvalid(m -> m.put("target_size", 500), "'target_size' must be a multiple of 32");
		assertInvalid(m -> m.put("target_size", 0), "'target_size' must be at least 32");
		// a 4:1 image of target 8192 is 16384 px long: size token 8804 + 512 is beyond the vocabulary
		assertInvalid(m -> m.put("target_size", 8192), "must be below decoder.vocab_size (9216)");
	}

	/** {@code kv_layout} names the cache strategy; bundles from before, which held the dimension order there, are concat. */
	@Test
	void kvLayoutIsReadAndTheLegacyValueIsConcat() throws IOException {
		assertValid(m -> ((ObjectNode) m.get("decoder")).put("kv_layout", "shared_buffer"));
		assertEquals(KvLayout.SHARED_BUFFER, ManifestReader.read(dir).decoder().kvLayout());
		assertValid(m -> ((ObjectNode) m.get("decoder")).put("kv_layout", "batch,heads,positions,head_dim").remove(
			"kv_dims"));
		assertEquals(KvLayout.CONCAT, ManifestReader.read(dir).decoder().kvLayout());
		assertValid(m -> ((ObjectNode) m.get("decoder")).remove("kv_layout"));
		assertEquals(KvLayout.CONCAT, ManifestReader.read(dir).decoder().kvLayout());
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("kv_layout", "paged"),
			"'decoder.kv_layout' must be one of [concat, shared_buffer], got \"paged\"; a bundle from a newer exporter");
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("kv_dims", "batch,positions,heads,head_dim"),
			"'decoder.kv_dims' must be \"batch,heads,positions,head_dim\"");
	}

	@Test
	void inconsistentValuesAreNamed() throws IOException {
		assertInvalid(m -> ((ObjectNode) m.get("tokens")).put("codebook_size", 512),
			"image_token_last (4..8195) holds 8192 ids but tokens.codebook_size is 512");
		assertInvalid(m -> ((ObjectNode) m.get("vq")).put("codebook_size", 512), "vq.codebook_size (512) must equal");
		assertInvalid(m -> ((ObjectNode) m.get("vq")).put("downsample", 8), "vq.downsample must be 16");
		assertInvalid(m -> ((ObjectNode) m.get("decoder")).put("hidden_size", 65), "decoder.hidden_size (65) must equal");
		assertInvalid(m -> ((ObjectNode) m.get("tokens")).put("separator", 9300),
			"tokens.separator (9300) must be below decoder.vocab_size (9216)");
		assertInvalid(m -> ((ObjectNode) m.get("tokens")).put("image_start", 100),
			"tokens.image_start (100) lies inside the image token range 4..8195");
		assertInvalid(m -> ((ObjectNode) m.get("tokens")).put("image_token_last", 3),
			"'tokens.image_token_last' must be at least image_token_first (4)");
	}

	@Test
	void smallCodebookAndOtherTargetSize() throws IOException {
		assertValid(m -> {
			m.put("target_size", 128);
			((ObjectNode) m.get("tokens")).put("image_token_last", 515).put("codebook_size", 512);
			((ObjectNode) m.get("vq")).put("codebook_size", 512);
		});
		final ModelManifest m = ManifestReader.read(dir);
		assertEquals(new TokenRange(4, 515), m.tokens().imageTokens());
		assertEquals(128, m.targetSize());
	}

	@Test
	void aLinkToAFileOutsideTheBundleIsRefused(@TempDir final Path elsewhere) throws IOException {
		TestBundles.write(dir);
		final Path outside = Files.writeString(elsewhere.resolve("secret.json"), "{}");
		Files.delete(dir.resolve("tokenizer.json"));
		Files.createSymbolicLink(dir.resolve("tokenizer.json"), outside);
		final ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(dir));
		assertTrue(e.getMessage().contains("files.tokenizer: tokenizer.json is a link to a file outside the bundle"), e
			.getMessage());
	}

	/** The bundles of one model folder (one per task family) may share files through {@code shared/} beside them. */
	@Test
	void aSharedFileIsReadFromTheSharedFolderBesideTheBundle() throws IOException {
		final Path bundle = sharingBundle("tokenizer.json");
		final ModelManifest m = ManifestReader.read(bundle);
		assertEquals("../shared/tokenizer.json", m.files().tokenizer().path());
		assertEquals(dir.toAbsolutePath().normalize().resolve("shared/tokenizer.json"), m.resolve(m.files().tokenizer()));
		new BundleVerifier().verify(m);
		Files.writeString(dir.resolve("shared/tokenizer.json"), "another tokenizer");
		final ModelException e = assertThrows(ModelException.class, () -> new BundleVerifier().verify(ManifestReader
			.read(bundle)));
		assertTrue(e.getMessage().contains("checksum mismatch for ../shared/tokenizer.json"), e.getMessage());
	}

	@Test
	void aSharedFileThatLinksOutOfTheSharedFolderIsRefused() throws IOException {
		final Path bundle = sharingBundle("tokenizer.json");
		final Path shared = dir.resolve("shared/tokenizer.json");
		Files.move(shared, bundle.resolve("tokenizer.json"));
		Files.createSymbolicLink(shared, bundle.resolve("tokenizer.json"));
		final ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(bundle));
		assertTrue(e.getMessage().contains("files.tokenizer: ../shared/tokenizer.json is a link to a file outside the " +
			"shared folder"), e.getMessage());
	}

	/** @return a bundle in {@code dir/bundle} whose file {@code name} lies in {@code dir/shared} */
	private Path sharingBundle(final String name) throws IOException {
		final Path bundle = Files.createDirectories(dir.resolve("bundle"));
		final ObjectNode manifest = TestBundles.write(bundle);
		Files.createDirectories(dir.resolve("shared"));
		Files.move(bundle.resolve(name), dir.resolve("shared").resolve(name));
		manifest.path("files").forEach(file -> {
			if (file.path("path").asText().equals(name)) ((ObjectNode) file).put("path", "../shared/" + name);
		});
		TestBundles.writeManifest(bundle, manifest);
		return bundle;
	}

	@Test
	void aLinkInsideTheBundleIsAccepted() throws IOException {
		TestBundles.write(dir);
		Files.move(dir.resolve("tokenizer.json"), dir.resolve("real-tokenizer.json"));
		Files.createSymbolicLink(dir.resolve("tokenizer.json"), dir.resolve("real-tokenizer.json"));
		assertEquals("tiny-random", ManifestReader.read(dir).name());
	}

	@Test
	void committedTinyBundleIsValid() {
		final Path tiny = TinyTokenizer.bundle();
		final ModelManifest m = ManifestReader.read(tiny);
		assertEquals(TinyTokenizer.IDS, m.tokens());
	}

	private void assertValid(final Consumer<ObjectNode> change) throws IOException {
		final ObjectNode manifest = TestBundles.write(dir);
		change.accept(manifest);
		TestBundles.writeManifest(dir, manifest);
	}

	private void assertInvalid(final Consumer<ObjectNode> change, final String message) throws IOException {
		assertValid(change);
		final ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(dir));
		assertTrue(e.getMessage().contains(message), e.getMessage());
		assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
	}
}
