package org.lumina.mgpt.runtime;

/**
 * The sampling settings of one generation; immutable and validated on construction. Start from
 * {@link #defaults()} and change values with the {@code with*} methods.
 *
 * @param cfg classifier-free guidance scale for images, {@code >= 0}; 1 turns guidance off
 * @param imageTopK top-k inside an image, {@code >= 1} (values above the vocabulary size keep all)
 * @param textTopK top-k in text, {@code >= 1} (clipped to the vocabulary size)
 * @param temperature {@code >= 0}; 0 means greedy decoding (argmax, lowest id on ties)
 * @param topP nucleus mass in {@code (0, 1]}; 1 turns it off (not in the reference)
 * @param maxNewTokens the hard limit on new tokens, {@code >= 1} (the stop token counts)
 * @param seed seed of the sampler; the same seed, model and prompt give the same tokens
 * @param forcedImageSize when not {@code null}, the answer starts with image start, this size's
 *            height token and width token (forced); sides multiples of 32
 * @param maxPositions the model's {@code max_positions}, ADVISORY: crossing it warns once, never
 *            cuts; 0 means unknown (no warning)
 * @param jacobiWindow draft tokens verified per decoder call inside image bodies (speculative
 *            Jacobi decoding, see {@link SpeculativeJacobi}), {@code >= 0}; 0 turns it off. The
 *            tokens keep the distribution of plain decoding (greedy: the very same tokens); only
 *            the number of decoder calls changes, and with it the random draws for a seed
 */
public record GenerationParams(double cfg, int imageTopK, int textTopK, double temperature, double topP,
	int maxNewTokens, long seed, ImageSize forcedImageSize, int maxPositions, int jacobiWindow)
{

	/**
	 * The window of speculative Jacobi decoding when it is asked for without a size: the setting of
	 * Teng et al. 2024 for Lumina-mGPT (their reference code's window of 16 draft tokens).
	 */
	public static final int DEFAULT_JACOBI_WINDOW = 16;

	/** @throws IllegalArgumentException naming the parameter, its range and the value received */
	public GenerationParams {
		if (!(cfg >= 0) || Double.isInfinite(cfg)) throw invalid("cfg", "a finite number >= 0 (1.0 = off)", cfg);
		if (imageTopK < 1) throw invalid("imageTopK", ">= 1", imageTopK);
		if (textTopK < 1) throw invalid("textTopK", ">= 1", textTopK);
		if (!(temperature >= 0) || Double.isInfinite(temperature)) {
			throw invalid("temperature", "a finite number >= 0 (0 = greedy)", temperature);
		}
		if (!(topP > 0 && topP <= 1)) throw invalid("topP", "in (0, 1] (1 = off)", topP);
		if (maxNewTokens < 1) throw invalid("maxNewTokens", ">= 1", maxNewTokens);
		if (forcedImageSize != null && (forcedImageSize.width() % 32 != 0 || forcedImageSize.height() % 32 != 0)) {
			throw invalid("forcedImageSize", "sides that are multiples of 32", forcedImageSize);
		}
		if (maxPositions < 0) throw invalid("maxPositions", ">= 0 (0 = unknown)", maxPositions);
		if (jacobiWindow < 0) throw invalid("jacobiWindow", ">= 0 (0 = off)", jacobiWindow);
	}

	/**
	 * The reference function defaults (spec §3.6, LM-INFER): guidance off, image top-k 2000, text
	 * top-k 10, temperature 1, top-p off, 8192 new tokens, seed 0, no forced size, max positions
	 * unknown, speculative Jacobi decoding off. Task families set their own values from the bundle
	 * manifest.
	 */
	public static GenerationParams defaults() {
		return new GenerationParams(1.0, 2000, 10, 1.0, 1.0, 8192, 0L, null, 0, 0);
	}

	/** @return whether guidance is on ({@code cfg != 1}) */
	public boolean guidance() {
		return cfg != 1.0;
	}

	/** @return whether decoding is greedy ({@code temperature == 0}) */
	public boolean greedy() {
		return temperature == 0;
	}

	/** @return whether image bodies are decoded with speculative Jacobi decoding ({@code jacobiWindow > 0}) */
	public boolean jacobi() {
		return jacobiWindow > 0;
	}

	// -- Withers --

	public GenerationParams withCfg(final double value) {
		return new GenerationParams(value, imageTopK, textTopK, temperature, topP, maxNewTokens, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withImageTopK(final int value) {
		return new GenerationParams(cfg, value, textTopK, temperature, topP, maxNewTokens, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withTextTopK(final int value) {
		return new GenerationParams(cfg, imageTopK, value, temperature, topP, maxNewTokens, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withTemperature(final double value) {
		return new GenerationParams(cfg, imageTopK, textTopK, value, topP, maxNewTokens, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withTopP(final double value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, value, maxNewTokens, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withMaxNewTokens(final int value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, topP, value, seed, forcedImageSize, maxPositions, jacobiWindow);
	}

	public GenerationParams withSeed(final long value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, topP, maxNewTokens, value, forcedImageSize, maxPositions, jacobiWindow);
	}

	/** @param value the forced size, or {@code null} to let the model choose */
	public GenerationParams withForcedImageSize(final ImageSize value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, topP, maxNewTokens, seed, value, maxPositions, jacobiWindow);
	}

	public GenerationParams withMaxPositions(final int value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, topP, maxNewTokens, seed, forcedImageSize, value, jacobiWindow);
	}

	/** @param value draft tokens per decoder call inside image bodies; 0 turns speculative Jacobi decoding off */
	public GenerationParams withJacobiWindow(final int value) {
		return new GenerationParams(cfg, imageTopK, textTopK, temperature, topP, maxNewTokens, seed, forcedImageSize, maxPositions, value);
	}

	private static IllegalArgumentException invalid(final String name, final String range, final Object value) {
		return new IllegalArgumentException(name + " must be " + range + ", got " + value);
	}
}
