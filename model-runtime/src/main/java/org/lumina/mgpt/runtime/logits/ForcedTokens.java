package org.lumina.mgpt.runtime.logits;

/**
 * Forces the first generated tokens, e.g. {@code [imageStart, heightToken, widthToken]} for an
 * image of a chosen size: while fewer than {@code prefix.length} tokens were generated, every
 * logit becomes {@code -inf} except the next prefix token, which becomes 0.
 */
public final class ForcedTokens implements LogitsProcessor {

	private final int[] prefix;

	/** @param prefix vocabulary ids, at least one */
	public ForcedTokens(final int... prefix) {
		if (prefix.length == 0) throw new IllegalArgumentException("forced prefix must hold at least one token, got none");
		for (final int token : prefix) {
			if (token < 0) throw new IllegalArgumentException("forced tokens must be vocabulary ids >= 0, got " + token);
		}
		this.prefix = prefix.clone();
	}

	@Override
	public void process(final DecodingState state, final float[] logits) {
		final int next = state.generatedCount();
		if (next < prefix.length) Masks.force(logits, prefix[next]);
	}

	/** @return a copy of the forced prefix */
	public int[] prefix() {
		return prefix.clone();
	}
}
