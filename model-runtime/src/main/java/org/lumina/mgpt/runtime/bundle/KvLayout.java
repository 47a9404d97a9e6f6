package org.lumina.mgpt.runtime.bundle;

import java.util.Arrays;
import java.util.Optional;

/**
 * How the decoder graph keeps its KV cache ({@code decoder.kv_layout} in the manifest); each
 * layout has its own graph inputs and outputs (docs/bundle-format.md) and its own decoder session.
 * The cache tensors are {@code [batch, heads, positions, head_dim]} in both ({@code decoder.kv_dims}).
 */
public enum KvLayout {

	/**
	 * {@code present = past ++ new}: every call returns the whole cache as new tensors, which are
	 * fed back as the next past. A step copies the cache once, inside ONNX Runtime.
	 */
	CONCAT("concat"),
	/**
	 * The past and present tensors are one preallocated buffer per layer and kind, updated in place by
	 * ONNX Runtime's {@code com.microsoft.GroupQueryAttention}; each row's length is an input, so
	 * no step copies the cache and rewinding is setting a length.
	 */
	SHARED_BUFFER("shared_buffer");

	/**
	 * NB: what {@code kv_layout} held before it named the strategy (it was the dimension order);
	 * bundles exported then are {@link #CONCAT}.
	 */
	static final String LEGACY_DIMS = "batch,heads,positions,head_dim";

	private final String key;

	KvLayout(final String key) {
		this.key = key;
	}

	/** @return the manifest value, e.g. {@code shared_buffer} */
	public String key() {
		return key;
	}

	/** @return the layout whose manifest value is {@code key} (or the legacy dimension order), if any */
	public static Optional<KvLayout> ofKey(final String key) {
		if (LEGACY_DIMS.equals(key)) return Optional.of(CONCAT);
		return Arrays.stream(values()).filter(layout -> layout.key.equals(key)).findFirst();
	}

	/** @return the manifest values a reader accepts, for error messages */
	static String describeKeys() {
		return Arrays.stream(values()).map(KvLayout::key).toList().toString();
	}
}
