package org.lumina.mgpt.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.runtime.ModelException;

/** Tests {@link OnnxExternalData} and the refusal of graphs that read weights the manifest does not list. */
class OnnxExternalDataTest {

	@TempDir
	Path bundle;

	@Test
	void theCommittedGraphsNameTheirOwnDataFiles() throws IOException {
		final Path tiny = org.lumina.mgpt.runtime.TestBundles.tiny();
		assertEquals(Set.of("decoder.onnx.data"), OnnxExternalData.locations(tiny.resolve("decoder.onnx")));
		assertEquals(Set.of(), OnnxExternalData.locations(tiny.resolve("vq_encoder.onnx")));
	}

	@Test
	void aGraphReadingWeightsOutsideTheBundleIsRefused() throws IOException {
		copyTiny();
		Files.write(bundle.resolve("decoder.onnx"), graphWithExternalWeight("../secret.bin"));
		final ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(bundle));
		assertTrue(e.getMessage().contains("decoder.onnx reads its weights from '../secret.bin', which " +
			"lumina-model.json does not list for it and which lies outside the bundle folder"), e.getMessage());
	}

	@Test
	void aGraphReadingAnUnlistedFileInsideTheBundleIsRefused() throws IOException {
		copyTiny();
		Files.write(bundle.resolve("decoder.onnx"), graphWithExternalWeight("tokenizer.json"));
		final ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(bundle));
		assertTrue(e.getMessage().contains("reads its weights from 'tokenizer.json', which lumina-model.json does " +
			"not list for it; bundles may only use their own, checksummed files"), e.getMessage());
	}

	@Test
	void aGroupCannotHideAReference() throws IOException {
		final ByteArrayOutputStream model = new ByteArrayOutputStream();
		// NB: an unknown field 20 as a group (start tag, a varint field inside, end tag), then the graph
		varint(model, 20 << 3 | 3);
		varint(model, 1 << 3);
		varint(model, 5);
		varint(model, 20 << 3 | 4);
		model.writeBytes(graphWithExternalWeight("../secret.bin"));
		final Path file = Files.write(bundle.resolve("g.onnx"), model.toByteArray());
		assertEquals(Set.of("../secret.bin"), OnnxExternalData.locations(file));
	}

	/** ModelProto{graph: GraphProto{initializer: TensorProto{name "w", external_data: location}}} */
	private static byte[] graphWithExternalWeight(final String location) {
		final byte[] entry = concat(field(1, "location".getBytes(StandardCharsets.UTF_8)), field(2, location.getBytes(
			StandardCharsets.UTF_8)));
		final byte[] tensor = concat(field(8, "w".getBytes(StandardCharsets.UTF_8)), field(13, entry));
		return field(7, field(5, tensor));
	}

	private static byte[] field(final int number, final byte[] payload) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		varint(out, number << 3 | 2);
		varint(out, payload.length);
		out.writeBytes(payload);
		return out.toByteArray();
	}

	private static byte[] concat(final byte[] a, final byte[] b) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(a);
		out.writeBytes(b);
		return out.toByteArray();
	}

	private static void varint(final ByteArrayOutputStream out, long value) {
		while ((value & ~0x7FL) != 0) {
			out.write((int) (value & 0x7F) | 0x80);
			value >>>= 7;
		}
		out.write((int) value);
	}

	private void copyTiny() throws IOException {
		try (Stream<Path> files = Files.list(org.lumina.mgpt.runtime.TestBundles.tiny())) {
			for (final Path file : (Iterable<Path>) files::iterator) {
				if (Files.isRegularFile(file)) Files.copy(file, bundle.resolve(file.getFileName()));
			}
		}
	}
}
