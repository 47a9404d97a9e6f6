package org.lumina.mgpt.runtime;

/** Why a generation ended. Cancellation is not a stop reason: it throws {@code CancellationException}. */
public enum StopReason {
	/** The model sampled the separator (stop) token; it is stripped from the result. */
	STOP_TOKEN,
	/** {@link GenerationParams#maxNewTokens()} tokens were generated. */
	MAX_TOKENS
}
