package org.lumina.mgpt.runtime.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds a graph input to an ONNX file by editing its protobuf encoding, so tests can make a graph
 * that declares an input the engine does not know without a Python step. A repeated protobuf
 * field may appear anywhere in its message, so the new {@code ValueInfoProto} is appended to
 * the end of {@code ModelProto.graph} (field 7) as one more {@code GraphProto.input} (field 11).
 */
final class GraphInputs {

	private static final int MODEL_GRAPH = 7;
	private static final int GRAPH_INPUT = 11;
	private static final int LENGTH_DELIMITED = 2;
	private static final int FLOAT = 1;

	private GraphInputs() {}

	/** Rewrites {@code graph} with an extra float input {@code name} of unknown shape. */
	static void addFloatInput(final Path graph, final String name) throws IOException {
		final byte[] model = Files.readAllBytes(graph);
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = 0;
		while (at < model.length) {
			final int start = at;
			final long tag = varint(model, at);
			at += varintLength(model, at);
			final int wireType = (int) (tag & 7);
			if (wireType == LENGTH_DELIMITED) {
				final int length = (int) varint(model, at);
				at += varintLength(model, at);
				if (tag >>> 3 == MODEL_GRAPH) {
					final ByteArrayOutputStream graphBytes = new ByteArrayOutputStream();
					graphBytes.write(model, at, length);
					field(graphBytes, GRAPH_INPUT, valueInfo(name));
					field(out, MODEL_GRAPH, graphBytes.toByteArray());
				}
				else out.write(model, start, at + length - start);
				at += length;
			}
			else {
				at += wireType == 0 ? varintLength(model, at) : wireType == 1 ? 8 : 4;
				out.write(model, start, at - start);
			}
		}
		Files.write(graph, out.toByteArray());
	}

	/** ValueInfoProto{name: 1, type: 2 = TypeProto{tensor_type: 1 = Tensor{elem_type: 1}}} */
	private static byte[] valueInfo(final String name) {
		final ByteArrayOutputStream tensor = new ByteArrayOutputStream();
		writeVarint(tensor, 1 << 3);
		writeVarint(tensor, FLOAT);
		final ByteArrayOutputStream type = new ByteArrayOutputStream();
		field(type, 1, tensor.toByteArray());
		final ByteArrayOutputStream info = new ByteArrayOutputStream();
		field(info, 1, name.getBytes(StandardCharsets.UTF_8));
		field(info, 2, type.toByteArray());
		return info.toByteArray();
	}

	private static void field(final ByteArrayOutputStream out, final int number, final byte[] payload) {
		writeVarint(out, (long) number << 3 | LENGTH_DELIMITED);
		writeVarint(out, payload.length);
		out.writeBytes(payload);
	}

	private static void writeVarint(final ByteArrayOutputStream out, long value) {
		while ((value & ~0x7FL) != 0) {
			out.write((int) (value & 0x7F) | 0x80);
			value >>>= 7;
		}
		out.write((int) value);
	}

	private static long varint(final byte[] bytes, final int at) {
		long value = 0;
		for (int i = 0;; i++) {
			final int b = bytes[at + i];
			value |= (long) (b & 0x7F) << 7 * i;
			if ((b & 0x80) == 0) return value;
		}
	}

	private static int varintLength(final byte[] bytes, final int at) {
		int i = 0;
		while ((bytes[at + i] & 0x80) != 0) i++;
		return i + 1;
	}
}
