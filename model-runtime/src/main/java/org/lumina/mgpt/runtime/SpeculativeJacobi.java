package org.lumina.mgpt.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.logits.DecodingState;
import org.lumina.mgpt.runtime.logits.LogitsProcessor;
import org.lumina.mgpt.runtime.logits.LogitsProcessors;
import org.lumina.mgpt.runtime.sampling.Probabilities;
import org.lumina.mgpt.runtime.sampling.Sampler;

/**
 * Speculative Jacobi decoding of image bodies (Teng et al. 2024, training-free): several image
 * tokens per decoder call, with exactly the distribution of plain decoding.
 * <p>
 * It keeps a window of draft tokens, each with the distribution {@code q} it was drawn from. One
 * decoder call feeds {@code [last token, draft_1 .. draft_W]} and returns the logits after each;
 * processed by the generator's own chain with the sequence as if the earlier drafts were accepted
 * ({@link DraftedState}), they give the true next-token distributions {@code p_1 .. p_{W+1}}.
 * Drafts are accepted in order with probability {@code min(1, p_i(x) / q_i(x))}; the first
 * rejection is replaced by a draw from the normalised residual {@code max(0, p_i - q_i)} and ends
 * the call; when every draft is accepted one more token is drawn from {@code p_{W+1}}. Rejected
 * positions are rewound out of the KV cache. The positions after a rejection get new drafts drawn
 * from this call's distributions (the Jacobi iteration); positions no call has seen yet get drafts
 * from the latest distribution of an image position ({@link #fillDrafts}).
 * <p>
 * Exactness rests on one invariant, kept by every method that writes a draft: {@code q[i]} is the
 * distribution {@code drafts[i]} was really drawn from, with fresh randomness. Then each emitted
 * token is distributed as {@code p} given the accepted prefix, however good or bad the drafts are.
 * Greedy decoding uses one-hot distributions, which makes the rule "accept the argmax" and gives
 * plain greedy decoding's tokens.
 * <p>
 * Drafts stay inside the body (the last one at most at the body's last token), so they are image
 * tokens and end-of-lines only; end-of-lines are forced, drafted one-hot and always accepted.
 * Tokens come out one at a time ({@link #next}), so the generator reports each as in plain decoding.
 */
final class SpeculativeJacobi {

	private final int window;
	private final int vocab;
	private final DecodingState state; // the generator's sequence: emitted tokens only, never drafts
	private final DraftedState drafted;
	private final TokenIds ids;
	private final List<LogitsProcessor> processors;
	private final boolean greedy;
	private final SplittableRandom random;
	private final DecoderSession conditional;
	private final UnconditionalStream unconditional; // null without guidance

	private int[] drafts, nextDrafts; // [window] draft tokens of the positions after the last emitted one
	private float[][] q, nextQ; // [window][vocab] the distribution each draft was drawn from
	private int numDrafts;
	private final float[] template; // [vocab] the latest distribution of an image-token position
	private boolean hasTemplate;
	private final float[] work, p, unconditionalRow, residual; // [vocab] scratch
	private float[] conditionalLogits, unconditionalLogits; // [(W + 1) * vocab] one call's logits
	private final int[] queue; // tokens of the last call not yet emitted; all but the last were fed
	private int queued, emitted;
	private int calls;

	/**
	 * @param params {@code jacobiWindow} drafts per call ({@code >= 1}), greedy or not, and the
	 *            seed of the acceptance draws
	 * @param state the generator's sequence, which holds every emitted token
	 * @param processors the generator's chain: p must be the distribution plain decoding samples from
	 * @param unconditional the guidance stream, or {@code null} without guidance
	 */
	SpeculativeJacobi(final GenerationParams params, final int vocab, final DecodingState state, final TokenIds ids,
		final List<LogitsProcessor> processors, final DecoderSession conditional, final UnconditionalStream unconditional)
	{
		if (!params.jacobi()) throw new IllegalArgumentException("jacobiWindow must be >= 1 here, got 0");
		this.window = params.jacobiWindow();
		this.vocab = vocab;
		this.state = state;
		this.drafted = new DraftedState(state);
		this.ids = ids;
		this.processors = processors;
		this.greedy = params.greedy();
		this.random = new SplittableRandom(params.seed() ^ 0x5DEECE66DL); // NB: not the plain sampler's stream
		this.conditional = conditional;
		this.unconditional = unconditional;
		this.drafts = new int[window];
		this.nextDrafts = new int[window];
		this.q = new float[window][vocab];
		this.nextQ = new float[window][vocab];
		this.template = new float[vocab];
		this.work = new float[vocab];
		this.p = new float[vocab];
		this.unconditionalRow = new float[vocab];
		this.residual = new float[vocab];
		this.queue = new int[window + 1];
	}

	/**
	 * @param pending the last emitted token, not yet fed to the decoder, or -1
	 * @param tokensLeft how many tokens the generation may still produce
	 * @return whether {@link #next} gives the next token: tokens of the last call are still
	 *         queued, or the next token is a body token of an image whose first body token is
	 *         known (guidance, if any, then runs) and a window of at least one draft fits
	 */
	boolean applies(final int pending, final int tokensLeft) {
		if (emitted < queued) return true;
		return pending >= 0 && state.insideImage() && state.bodyTokens() >= 1 && draftsThatFit(tokensLeft) >= 1;
	}

	/**
	 * @return the next token: a queued one, or the first of a new decoder call's tokens
	 * @throws IllegalStateException when {@link #applies} is false
	 */
	int next(final int pending, final int tokensLeft) {
		if (emitted == queued) {
			if (!applies(pending, tokensLeft)) throw new IllegalStateException("no image body token to decode");
			decode(pending, draftsThatFit(tokensLeft));
		}
		return queue[emitted++];
	}

	/** @return whether the decoder has seen the token {@link #next} returned last (an accepted draft) */
	boolean lastWasFed() {
		return emitted < queued;
	}

	/** @return decoder calls made so far (a guided pair counts once) */
	int calls() {
		return calls;
	}

	// -- Helper methods --

	/** @return drafts that keep the last verified position inside the body and the token budget */
	private int draftsThatFit(final int tokensLeft) {
		final int bodyLeft = state.gridRows() * (state.gridColumns() + 1) - state.bodyTokens();
		return Math.min(window, Math.min(bodyLeft, tokensLeft) - 1);
	}

	/** One decoder call over {@code [pending, w drafts]}; queues the accepted drafts and one new token. */
	private void decode(final int pending, final int w) {
		final int bodyIndex = state.bodyTokens(); // of the position after pending
		fillDrafts(w, bodyIndex, state.gridColumns() + 1);
		final int[] chunk = new int[w + 1];
		chunk[0] = pending;
		System.arraycopy(drafts, 0, chunk, 1, w);
		feed(chunk);
		queued = 0;
		emitted = 0;
		for (int i = 0;; i++) {
			distribution(i, p);
			if (i == w) { // every draft accepted: one more token from the last position
				queue[queued++] = draw(p);
				numDrafts = 0;
				break;
			}
			final int x = drafts[i];
			if (random.nextDouble() * q[i][x] < p[x]) { // accepted with probability min(1, p(x) / q(x))
				queue[queued++] = x;
				continue;
			}
			final double mass = Probabilities.residual(p, q[i], residual);
			queue[queued++] = mass > 0 ? Probabilities.sample(residual, random.nextDouble()) : draw(p);
			redraft(i, w);
			break;
		}
		forgetLast(w + 1 - queued);
	}

	/**
	 * The rejection at {@code rejected} leaves this call's distributions of the later positions:
	 * they become the drafts of the positions after the new token (from the rejected drafts'
	 * context, the Jacobi step), each with the distribution it is drawn from.
	 */
	private void redraft(final int rejected, final int w) {
		int count = 0;
		for (int i = rejected + 1; i <= w; i++, count++) {
			distribution(i, nextQ[count]);
			nextDrafts[count] = draw(nextQ[count]);
		}
		final int[] tokens = drafts;
		drafts = nextDrafts;
		nextDrafts = tokens;
		final float[][] distributions = q;
		q = nextQ;
		nextQ = distributions;
		numDrafts = count;
	}

	/**
	 * Drafts the positions {@code numDrafts .. w - 1}, which no call has seen: end-of-lines where
	 * the layout forces them, otherwise draws from the latest image-position distribution
	 * (uniform over the image tokens before there is one).
	 */
	private void fillDrafts(final int w, final int bodyIndex, final int rowLength) {
		for (int i = numDrafts; i < w; i++) {
			if ((bodyIndex + i + 1) % rowLength == 0) Probabilities.oneHot(ids.endOfLine(), q[i]);
			else if (hasTemplate) System.arraycopy(template, 0, q[i], 0, vocab);
			else uniformImageTokens(q[i]);
			drafts[i] = draw(q[i]);
		}
		numDrafts = w;
	}

	/** Writes the processed distribution of the position after {@code count} drafts into {@code out}. */
	private void distribution(final int count, final float[] out) {
		System.arraycopy(conditionalLogits, count * vocab, work, 0, vocab);
		float[] guidance = null;
		if (unconditional != null) {
			System.arraycopy(unconditionalLogits, count * vocab, unconditionalRow, 0, vocab);
			guidance = unconditionalRow;
		}
		LogitsProcessors.apply(processors, drafted.set(drafts, count, guidance), work);
		if (greedy) Probabilities.oneHot(Sampler.argmax(work), out);
		else Probabilities.softmax(work, out);
		final int rowLength = state.gridColumns() + 1;
		if ((state.bodyTokens() + count + 1) % rowLength != 0) {
			System.arraycopy(out, 0, template, 0, vocab);
			hasTemplate = true;
		}
	}

	private int draw(final float[] distribution) {
		return Probabilities.sample(distribution, random.nextDouble());
	}

	private void uniformImageTokens(final float[] out) {
		Arrays.fill(out, 0);
		final float each = 1f / ids.imageTokens().size();
		for (int t = ids.imageTokens().first(); t <= ids.imageTokens().last(); t++) out[t] = each;
	}

	private void feed(final int[] chunk) {
		final int length = chunk.length * vocab;
		if (conditionalLogits == null || conditionalLogits.length != length) {
			conditionalLogits = new float[length];
			unconditionalLogits = unconditional == null ? null : new float[length];
		}
		if (unconditional == null) conditional.append(chunk, conditionalLogits);
		else unconditional.appendWindow(chunk, conditionalLogits, unconditionalLogits);
		calls++;
	}

	private void forgetLast(final int positions) {
		if (positions == 0) return;
		if (unconditional == null) conditional.rewind(conditional.numPositions() - positions);
		else unconditional.forgetLast(positions);
	}
}
