package org.lumina.mgpt.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.lumina.mgpt.runtime.ModelException;

/** Tests {@link BundleVerifier#verify} and its {@code .verified} cache. */
class BundleVerifierTest {

	@TempDir
	Path dir;

	private final List<String> hashed = new ArrayList<>();

	private final BundleVerifier verifier = new BundleVerifier(file -> {
		hashed.add(file.getFileName().toString());
		return FileHasher.SHA256.sha256(file);
	});

	@Test
	void intactBundleIsVerifiedOnceThenCached() throws IOException {
		TestBundles.write(dir);
		final ModelManifest manifest = ManifestReader.read(dir);
		verifier.verify(manifest);
		assertEquals(List.of("decoder.onnx", "decoder.onnx.data", "vq_encoder.onnx", "vq_decoder.onnx",
			"tokenizer.json"), hashed);
		final JsonNode cache = TestBundles.JSON.readTree(dir.resolve(".verified").toFile());
		assertEquals(5, cache.get("files").size());
		assertEquals(manifest.files().decoder().sha256(), cache.get("files").get(0).get("sha256").asText());
		hashed.clear();
		verifier.verify(ManifestReader.read(dir));
		assertEquals(List.of(), hashed);
	}

	@Test
	void changedFileIsHashedAgainAndReported() throws IOException {
		TestBundles.write(dir);
		verifier.verify(ManifestReader.read(dir));
		hashed.clear();
		final Path data = dir.resolve("decoder.onnx.data");
		Files.writeString(data, "changed content!!");
		Files.setLastModifiedTime(data, FileTime.fromMillis(Files.getLastModifiedTime(data).toMillis() + 5000));
		final ModelException e = assertThrows(ModelException.class, () -> verifier.verify(ManifestReader.read(dir)));
		assertEquals(List.of("decoder.onnx.data"), hashed);
		assertTrue(e.getMessage().startsWith("checksum mismatch for decoder.onnx.data: expected "), e.getMessage());
		assertTrue(e.getMessage().contains("found " + FileHasher.SHA256.sha256(data)) && e.getMessage().contains(
			"re-export or re-download the bundle"), e.getMessage());
	}

	@Test
	void wrongChecksumInTheManifestIsReported() throws IOException {
		final var manifest = TestBundles.write(dir);
		final String wrong = "0".repeat(64);
		((ObjectNode) manifest.path("files").path("decoder")).put("sha256", wrong);
		TestBundles.writeManifest(dir, manifest);
		final ModelException e = assertThrows(ModelException.class, () -> verifier.verify(ManifestReader.read(dir)));
		assertTrue(e.getMessage().contains("checksum mismatch for decoder.onnx: expected " + wrong + ", found "), e
			.getMessage());
		assertTrue(e.getMessage().contains("the file is corrupt or was changed"), e.getMessage());
		// the other files were still checked and cached
		assertEquals(5, hashed.size());
		assertTrue(Files.exists(dir.resolve(".verified")));
	}

	@Test
	void missingFileIsNamed() throws IOException {
		TestBundles.write(dir);
		Files.delete(dir.resolve("vq_decoder.onnx"));
		final ModelException e = assertThrows(ModelException.class, () -> verifier.verify(ManifestReader.read(dir)));
		assertTrue(e.getMessage().contains("vq_decoder.onnx is missing from the model bundle") && e.getMessage()
			.contains("files.vq_decoder"), e.getMessage());
	}

	@Test
	void damagedCacheIsIgnored() throws IOException {
		TestBundles.write(dir);
		Files.writeString(dir.resolve(".verified"), "garbage");
		verifier.verify(ManifestReader.read(dir));
		assertEquals(5, hashed.size());
		assertEquals(5, TestBundles.JSON.readTree(dir.resolve(".verified").toFile()).get("files").size());
	}

	@Test
	void readOnlyBundleIsVerifiedWithoutCache() throws IOException {
		TestBundles.write(dir);
		final ModelManifest manifest = ManifestReader.read(dir);
		assertTrue(dir.toFile().setWritable(false));
		try {
			Assumptions.assumeFalse(Files.isWritable(dir), "running as root: a folder cannot be made read-only");
			assertDoesNotThrow(() -> verifier.verify(manifest));
			assertFalse(Files.exists(dir.resolve(".verified")));
		}
		finally {
			dir.toFile().setWritable(true);
		}
	}

	@Test
	void cacheThatCannotBeWrittenIsSkippedSilently() throws IOException {
		TestBundles.write(dir);
		// NB: works as root too, unlike a read-only folder: the temporary cache file cannot be created
		Files.writeString(Files.createDirectory(dir.resolve(".verified.tmp")).resolve("blocker"), "x");
		assertDoesNotThrow(() -> verifier.verify(ManifestReader.read(dir)));
		assertFalse(Files.exists(dir.resolve(".verified")));
		assertEquals(5, hashed.size());
	}
}
