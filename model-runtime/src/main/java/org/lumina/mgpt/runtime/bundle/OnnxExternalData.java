package org.lumina.mgpt.runtime.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads which external-data files an ONNX graph refers to, straight from its protobuf encoding,
 * so that a graph naming a file outside its bundle can be refused before ONNX Runtime opens it.
 * Only the path to each initializer's {@code external_data} "location" entry is decoded
 * ({@code ModelProto.graph} 7 → {@code GraphProto.initializer} 5 → {@code TensorProto.external_data}
 * 13 → {@code StringStringEntryProto} key 1 / value 2); everything else is skipped by wire type.
 * The graph files of a bundle are small (the weights are external), so they are read whole.
 */
final class OnnxExternalData {

	private static final int MODEL_GRAPH = 7;
	private static final int GRAPH_INITIALIZER = 5;
	private static final int TENSOR_EXTERNAL_DATA = 13;
	private static final int ENTRY_KEY = 1;
	private static final int ENTRY_VALUE = 2;
	private static final long MAX_GRAPH_BYTES = Integer.MAX_VALUE - 8;

	private OnnxExternalData() {}

	/**
	 * @return the "location" values of the graph's initializers, as written (relative to the graph)
	 * @throws IOException when the file cannot be read or is not a protobuf message
	 */
	static Set<String> locations(final Path graph) throws IOException {
		final ByteBuffer bytes;
		try (FileChannel channel = FileChannel.open(graph, StandardOpenOption.READ)) {
			if (channel.size() > MAX_GRAPH_BYTES) throw new IOException(graph.getFileName() + " is larger than 2 GB");
			bytes = ByteBuffer.allocate((int) channel.size());
			while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
				// NB: read until full
			}
		}
		final Set<String> locations = new TreeSet<>();
		final Message model = new Message(bytes.array(), 0, bytes.position());
		while (model.next()) {
			if (model.field() != MODEL_GRAPH || !model.isLengthDelimited()) continue;
			final Message graphFields = model.submessage();
			while (graphFields.next()) {
				if (graphFields.field() != GRAPH_INITIALIZER || !graphFields.isLengthDelimited()) continue;
				final Message tensor = graphFields.submessage();
				while (tensor.next()) {
					if (tensor.field() == TENSOR_EXTERNAL_DATA && tensor.isLengthDelimited()) {
						location(tensor.submessage(), locations);
					}
				}
			}
		}
		return locations;
	}

	private static void location(final Message entry, final Set<String> locations) throws IOException {
		String key = null;
		String value = null;
		while (entry.next()) {
			if (!entry.isLengthDelimited()) continue;
			if (entry.field() == ENTRY_KEY) key = entry.string();
			else if (entry.field() == ENTRY_VALUE) value = entry.string();
		}
		if ("location".equals(key) && value != null) locations.add(value);
	}

	/** A cursor over the fields of one protobuf message. */
	private static final class Message {

		private final byte[] bytes;
		private final int end;
		private int at;
		private int field;
		private int wireType;
		private int valueStart;
		private int valueEnd;

		Message(final byte[] bytes, final int start, final int end) {
			this.bytes = bytes;
			this.at = start;
			this.end = end;
		}

		/** @return whether there is another field; reads its tag and finds its value */
		boolean next() throws IOException {
			if (at >= end) return false;
			final long tag = varint();
			field = (int) (tag >>> 3);
			wireType = (int) (tag & 7);
			switch (wireType) {
				case 0 -> {
					valueStart = at;
					varint();
				}
				case 1 -> at += 8;
				case 2 -> {
					final long length = varint();
					if (length < 0 || length > end - at) throw new IOException("not an ONNX file: bad field length");
					valueStart = at;
					at += (int) length;
				}
				case 3 -> skipGroup(field);
				case 5 -> at += 4;
				default -> throw new IOException("not an ONNX file: wire type " + wireType);
			}
			if (at > end) throw new IOException("not an ONNX file: truncated");
			valueEnd = at;
			return true;
		}

		int field() {
			return field;
		}

		/** Skips a (deprecated, but legal) group up to its end tag, so that no field can hide behind one. */
		private void skipGroup(final int number) throws IOException {
			while (true) {
				if (at >= end) throw new IOException("not an ONNX file: unterminated group");
				final long tag = varint();
				final int type = (int) (tag & 7);
				if (type == 4) {
					if ((int) (tag >>> 3) != number) throw new IOException("not an ONNX file: mismatched group");
					return;
				}
				switch (type) {
					case 0 -> varint();
					case 1 -> at += 8;
					case 2 -> at += (int) varint();
					case 3 -> skipGroup((int) (tag >>> 3));
					case 5 -> at += 4;
					default -> throw new IOException("not an ONNX file: wire type " + type);
				}
			}
		}

		boolean isLengthDelimited() {
			return wireType == 2;
		}

		Message submessage() {
			return new Message(bytes, valueStart, valueEnd);
		}

		String string() {
			return new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
		}

		private long varint() throws IOException {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				if (at >= end) throw new IOException("not an ONNX file: truncated number");
				final int b = bytes[at++];
				value |= (long) (b & 0x7F) << shift;
				if ((b & 0x80) == 0) return value;
			}
			throw new IOException("not an ONNX file: number too long");
		}
	}
}
