package org.lumina.mgpt.runtime.logits;

/**
 * Divides the logits by the temperature. Temperature 0 (greedy) is not a processor: the generator
 * picks the greedy sampler instead and leaves this one out.
 */
public final class Temperature implements LogitsProcessor {

	private final float temperature;

	/** @param temperature finite and {@code > 0} */
	public Temperature(final double temperature) {
		if (!(temperature > 0) || Double.isInfinite(temperature)) {
			throw new IllegalArgumentException("temperature must be a finite number > 0 here (0 means greedy sampling " +
				"and needs no Temperature processor), got " + temperature);
		}
		this.temperature = (float) temperature;
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		for (int i = 0; i < logits.length; i++) logits[i] /= temperature;
	}

	/** @return the temperature */
	public float temperature() {
		return temperature;
	}
}
