package org.lumina.mgpt.runtime.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a bundle's {@code references/} torch dumps (docs/bundle-format.md). */
final class ReferenceDumps {

	/** A decoder case: prefill {@code inputIds}, then feed {@code steps} one at a time. */
	record DecoderCase(String name, int[] inputIds, int[] steps, float[][] logits) {}

	/** A VQ case: pixels, the codes torch chose, their distance margins and the decoded pixels. */
	record VqCase(String name, long[] pixelShape, float[] pixels, long[] codeShape, long[] codes, float[] margin,
		float[] decoded) {}

	private final Path directory;
	private final JsonNode root;

	ReferenceDumps(final Path bundle) {
		directory = bundle.resolve("references");
		try {
			root = new ObjectMapper().readTree(directory.resolve("references.json").toFile());
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	List<DecoderCase> decoderCases() {
		final List<DecoderCase> cases = new ArrayList<>();
		for (final JsonNode c : root.path("decoder")) {
			final long[] shape = longs(c.path("logits").path("shape"));
			final float[] flat = floats(c.path("logits").path("path").asText());
			final float[][] rows = new float[(int) shape[0]][(int) shape[1]];
			for (int r = 0; r < rows.length; r++) System.arraycopy(flat, r * rows[r].length, rows[r], 0, rows[r].length);
			cases.add(new DecoderCase(c.path("name").asText(), ints(c.path("input_ids")), ints(c.path("steps")), rows));
		}
		return cases;
	}

	List<VqCase> vqCases() {
		final List<VqCase> cases = new ArrayList<>();
		for (final JsonNode c : root.path("vq")) {
			cases.add(new VqCase(c.path("name").asText(), longs(c.path("pixels").path("shape")),
				floats(c.path("pixels").path("path").asText()), longs(c.path("codes").path("shape")),
				int64s(c.path("codes").path("path").asText()), floats(c.path("code_margin").path("path").asText()),
				floats(c.path("decoded").path("path").asText())));
		}
		return cases;
	}

	// -- Helper methods --

	private ByteBuffer read(final String file) {
		try {
			return ByteBuffer.wrap(Files.readAllBytes(directory.resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private float[] floats(final String file) {
		final ByteBuffer bytes = read(file);
		final float[] values = new float[bytes.remaining() / 4];
		bytes.asFloatBuffer().get(values);
		return values;
	}

	private long[] int64s(final String file) {
		final ByteBuffer bytes = read(file);
		final long[] values = new long[bytes.remaining() / 8];
		bytes.asLongBuffer().get(values);
		return values;
	}

	private static int[] ints(final JsonNode array) {
		final int[] values = new int[array.size()];
		for (int i = 0; i < values.length; i++) values[i] = array.get(i).asInt();
		return values;
	}

	private static long[] longs(final JsonNode array) {
		final long[] values = new long[array.size()];
		for (int i = 0; i < values.length; i++) values[i] = array.get(i).asLong();
		return values;
	}
}
