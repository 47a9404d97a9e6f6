package org.lumina.mgpt.runtime.bundle;

import java.util.Arrays;
import java.util.Optional;

/**
 * How the decoder graph stores its weights ({@code decoder.weights} in the manifest). Either way
 * the graph's inputs and outputs are the same; only its size and speed differ.
 */
public enum WeightFormat {

	/** Every weight in {@link DecoderSpec#dtype()}; bundles without the key. */
	FULL("full"),
	/**
	 * The linear weights (attention and MLP projections, lm_head) are 4-bit blocks read by ONNX
	 * Runtime's {@code com.microsoft.MatMulNBits}; embedding and norms stay in {@link DecoderSpec#dtype()}.
	 */
	INT4("int4"),
	/**
	 * Every large weight stored as float16 and cast to {@link DecoderSpec#dtype()} (float32) by a
	 * {@code Cast} node that ONNX Runtime folds when it creates the session: half the file size,
	 * float32 arithmetic.
	 */
	FLOAT16_STORED("float16_stored");

	private final String key;

	WeightFormat(final String key) {
		this.key = key;
	}

	/** @return the manifest value, e.g. {@code int4} */
	public String key() {
		return key;
	}

	/** @return the format whose manifest value is {@code key}, if any */
	public static Optional<WeightFormat> ofKey(final String key) {
		return Arrays.stream(values()).filter(format -> format.key.equals(key)).findFirst();
	}
}
