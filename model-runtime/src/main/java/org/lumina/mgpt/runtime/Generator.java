package org.lumina.mgpt.runtime;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.lumina.mgpt.runtime.bundle.TokenIds;
import org.lumina.mgpt.runtime.logits.LogitsProcessor;
import org.lumina.mgpt.runtime.logits.LogitsProcessors;
import org.lumina.mgpt.runtime.logits.SequenceState;
import org.lumina.mgpt.runtime.sampling.CategoricalSampler;
import org.lumina.mgpt.runtime.sampling.Sampler;

/**
 * Generates one answer: owns a conditional {@link DecoderSession} which, for classifier-free
 * guidance, also carries the unconditional sequence of the image being generated (a
 * {@link GuidedDecoderSession}; in one batched decoder call per step by default, see
 * {@link GuidanceBatching}). Used once; close it (try with resources) to free the sessions'
 * native memory. Not thread-safe.
 * <p>
 * Drive it with {@link #generate} or step by step: {@link #appendTokens} the prompt, then
 * {@link #nextToken} until {@link #isDone}. Each step: forward the previous token (lazily, so the
 * last token costs no forward) → last-position logits into a reused buffer → logits processors
 * ({@link LogitsProcessors#chain}) → sampler → append → stop check → listener. Generation stops
 * on the separator token (stripped from {@link #tokens}) or after {@code maxNewTokens}.
 * <p>
 * With {@link GenerationParams#jacobi()}, image bodies are decoded by {@link SpeculativeJacobi}:
 * several tokens per decoder call, same distribution; the tokens still come out one per
 * {@link #nextToken}, so listeners, progress and cancellation see no difference.
 * <p>
 * Use after {@link #close} throws {@link IllegalStateException}, except for the read-only
 * {@link #tokens}, {@link #isDone} and {@link #result}. Errors from the model
 * ({@link ModelException}) leave the sessions to {@link #close}.
 * <p>
 * NB: no {@code rewindTo} on the step API yet: the sessions can rewind (speculative decoding uses
 * it inside an image), but no caller needs to take back generated tokens.
 */
public final class Generator implements AutoCloseable {

	private final TokenIds ids;
	private final GenerationParams params;
	private final List<LogitsProcessor> processors;
	private final Sampler sampler;
	private final SequenceState state;
	private final DecoderSession conditional; // when cfg != 1 a GuidedDecoderSession, fed through unconditional
	private final UnconditionalStream unconditional; // null when cfg == 1
	private final SpeculativeJacobi jacobi; // null unless params.jacobi()
	private final float[] logits; // [vocab] conditional logits of the last position, processed in place
	private final int[] step = new int[1]; // the token fed by a decode step
	private final int[] generated; // [maxNewTokens] generated tokens, stop token excluded
	private int numGenerated, numSampled, conditionalForwards, imagesStarted;
	private int imageTokens, plainImageCalls; // body tokens, and those sampled from a call of their own
	private int pending = -1; // sampled, not yet fed to the model
	private StopReason stopReason;
	private boolean prefilled, positionsWarned, closed;
	private long startNanos, endNanos;

	/**
	 * A generator that runs guidance {@link GuidanceBatching#BATCHED}.
	 *
	 * @param candidateSizes the sizes images may have (spec §2.2 for the bundle's target size)
	 * @throws IllegalArgumentException when the forced size is not a candidate, a candidate's size
	 *             token lies outside the vocabulary, or the candidates are not multiples of 32
	 */
	public Generator(final DecoderModel model, final TokenIds ids, final Collection<ImageSize> candidateSizes,
		final GenerationParams params)
	{
		this(model, ids, candidateSizes, params, GuidanceBatching.BATCHED);
	}

	/**
	 * A generator whose guidance runs as {@code batching} says; the tokens are the same either way.
	 *
	 * @param candidateSizes the sizes images may have (spec §2.2 for the bundle's target size)
	 * @param batching how the two sequences of guidance run when {@code params.guidance()}
	 * @throws IllegalArgumentException when the forced size is not a candidate, a candidate's size
	 *             token lies outside the vocabulary, or the candidates are not multiples of 32
	 */
	public Generator(final DecoderModel model, final TokenIds ids, final Collection<ImageSize> candidateSizes,
		final GenerationParams params, final GuidanceBatching batching)
	{
		checkSizes(model, ids, candidateSizes, params);
		this.ids = ids;
		this.params = params;
		this.processors = LogitsProcessors.chain(params, ids, candidateSizes);
		this.sampler = params.greedy() ? Sampler.GREEDY : new CategoricalSampler(params.seed());
		this.state = new SequenceState(ids, 4096 + params.maxNewTokens());
		this.logits = new float[model.vocabSize()];
		this.generated = new int[params.maxNewTokens()];
		if (params.guidance()) {
			final GuidedDecoderSession guided = batching == GuidanceBatching.BATCHED ? model.openGuidedSession()
				: new UnbatchedGuidedSession(model); // NB: not the model's own, which may batch
			this.conditional = guided;
			this.unconditional = new UnconditionalStream(guided, model.vocabSize());
		}
		else {
			this.conditional = model.openSession();
			this.unconditional = null;
		}
		this.jacobi = params.jacobi() ? new SpeculativeJacobi(params, model.vocabSize(), state, ids, processors,
			conditional, unconditional) : null;
	}

	// -- Step API --

	/**
	 * Appends tokens (a prompt, or more input between steps) to the sequence and runs them through
	 * the decoder in one call; their layout is checked first (spec §1.3).
	 *
	 * @throws IllegalArgumentException for an empty chunk or one that breaks an image's layout
	 */
	public void appendTokens(final int[] tokens) {
		checkOpen();
		if (stopReason != null) throw new IllegalStateException("generation is done (" + stopReason + "); create a new Generator");
		if (tokens.length == 0) throw new IllegalArgumentException("appendTokens needs at least one token, got none");
		if (startNanos == 0) startNanos = System.nanoTime();
		state.appendPrompt(tokens);
		final int[] chunk = pending < 0 ? tokens.clone() : prepend(pending, tokens);
		pending = -1;
		forward(chunk);
		prefilled = true;
	}

	/** {@link #nextToken(TokenListener)} without a listener. */
	public int nextToken() {
		return nextToken(TokenListener.NONE);
	}

	/**
	 * Generates one token.
	 *
	 * @return the token (the separator when the model stopped)
	 * @throws IllegalStateException before {@link #appendTokens}, when done, or after close
	 */
	public int nextToken(final TokenListener listener) {
		checkOpen();
		if (!prefilled) throw new IllegalStateException("nextToken() needs a prompt: call appendTokens(prompt) first, or generate(prompt, listener)");
		if (stopReason != null) throw new IllegalStateException("generation is done (" + stopReason + "); create a new Generator");
		if (numSampled == 0 && state.insideImage()) imagesStarted = 1; // the prompt opened the image
		final boolean body = state.insideImage() && state.gridColumns() > 0 && state.bodyTokens() < state.gridRows() *
			(state.gridColumns() + 1);
		final int tokensLeft = params.maxNewTokens() - numSampled;
		final boolean speculative = jacobi != null && jacobi.applies(pending, tokensLeft);
		final int token = speculative ? jacobi.next(pending, tokensLeft) : sample();
		if (body) imageTokens++;
		if (body && !speculative) plainImageCalls++;
		warnPastMaxPositions(listener);
		state.appendGenerated(token);
		if (unconditional != null && !state.insideImage()) unconditional.end(); // free it as soon as the image ends
		numSampled++;
		if (token == ids.separator()) stopReason = StopReason.STOP_TOKEN;
		else {
			generated[numGenerated++] = token;
			pending = speculative && jacobi.lastWasFed() ? -1 : token;
		}
		if (stopReason == null && numSampled >= params.maxNewTokens()) stopReason = StopReason.MAX_TOKENS;
		if (stopReason != null) endNanos = System.nanoTime();
		notify(listener, token);
		return token;
	}

	/** @return whether the generation stopped (stop token or {@code maxNewTokens}) */
	public boolean isDone() {
		return stopReason != null;
	}

	/** @return a copy of the generated tokens so far, the stop token stripped; allocates */
	public int[] tokens() {
		return Arrays.copyOf(generated, numGenerated);
	}

	/** @throws IllegalStateException while not {@link #isDone()} */
	public GenerationResult result() {
		if (stopReason == null) throw new IllegalStateException("result() is available once isDone(); keep calling nextToken()");
		final int jacobiCalls = jacobi == null ? 0 : jacobi.calls();
		return new GenerationResult(tokens(), stopReason, conditionalForwards + jacobiCalls,
			unconditional == null ? 0 : unconditional.forwards(), (endNanos - startNanos) / 1e9, state.insideImage(),
			imageTokens, plainImageCalls + jacobiCalls);
	}

	// -- Whole generation --

	/** {@link #generate(int[], TokenListener, BooleanSupplier)} that cannot be cancelled. */
	public GenerationResult generate(final int[] prompt, final TokenListener listener) {
		return generate(prompt, listener, () -> false);
	}

	/**
	 * Runs the whole generation on a fresh generator.
	 *
	 * @param cancelled polled on this thread before the prefill and before every step (make it
	 *            thread-safe, e.g. an {@code AtomicBoolean::get}); once it returns true the sessions
	 *            are closed (native memory freed) and {@link CancellationException} is thrown. A
	 *            listener that throws {@link CancellationException} has the same effect.
	 * @throws IllegalStateException when this generator already has tokens or is closed
	 */
	public GenerationResult generate(final int[] prompt, final TokenListener listener, final BooleanSupplier cancelled) {
		checkOpen();
		if (prefilled) throw new IllegalStateException("generate() needs a fresh Generator; this one already has tokens");
		try {
			checkCancelled(cancelled);
			appendTokens(prompt);
			while (stopReason == null) {
				checkCancelled(cancelled);
				nextToken(listener);
			}
		}
		catch (final CancellationException e) {
			close();
			throw e;
		}
		return result();
	}

	/** Closes the decoder session, with the unconditional sequence if one is open; idempotent. */
	@Override
	public void close() {
		if (closed) return;
		closed = true;
		conditional.close();
	}

	// -- Helper methods --

	private void checkOpen() {
		if (closed) throw new IllegalStateException("this Generator is closed; create a new Generator for another run");
	}

	/** The plain step: feeds the pending token, then processes this position's logits and samples. */
	private int sample() {
		if (pending >= 0) {
			step[0] = pending;
			pending = -1;
			forward(step);
		}
		state.setUnconditionalLogits(unconditional == null ? null : unconditional.logitsOrNull());
		LogitsProcessors.apply(processors, state, logits);
		final int token = sampler.sample(logits);
		state.setUnconditionalLogits(null);
		return token;
	}

	private void forward(final int[] chunk) {
		if (unconditional == null) conditional.append(chunk, logits);
		else unconditional.append(state, chunk, logits);
		conditionalForwards++;
	}

	private void notify(final TokenListener listener, final int token) {
		if (token != ids.separator()) {
			listener.onToken(token, numGenerated - 1);
			if (token == ids.imageStart()) imagesStarted++;
			if (token == ids.endOfLine() && state.insideImage() && state.bodyTokens() > 0) {
				final int row = state.bodyTokens() / (state.gridColumns() + 1) - 1;
				listener.onImageRow(Math.max(0, imagesStarted - 1), row, state.gridRows());
			}
		}
		listener.onProgress(numSampled, params.maxNewTokens());
	}

	private void warnPastMaxPositions(final TokenListener listener) {
		if (positionsWarned || params.maxPositions() == 0 || conditional.numPositions() <= params.maxPositions()) return;
		positionsWarned = true;
		listener.onWarning("the sequence has passed the model's max_positions (" + params.maxPositions() +
			"); generation continues as in the reference, but quality may degrade");
	}

	private static void checkCancelled(final BooleanSupplier cancelled) {
		if (cancelled.getAsBoolean()) throw new CancellationException("generation cancelled");
	}

	private static int[] prepend(final int first, final int[] rest) {
		final int[] chunk = new int[rest.length + 1];
		chunk[0] = first;
		System.arraycopy(rest, 0, chunk, 1, rest.length);
		return chunk;
	}

	private static void checkSizes(final DecoderModel model, final TokenIds ids, final Collection<ImageSize> sizes,
		final GenerationParams params)
	{
		final ImageSize forced = params.forcedImageSize();
		if (forced != null && !sizes.contains(forced)) {
			throw new IllegalArgumentException("forcedImageSize must be one of the candidate sizes " + sizes + ", got " + forced);
		}
		for (final ImageSize s : sizes) {
			final int largest = Math.max(s.width(), s.height());
			if (ids.sizeToken(largest) >= model.vocabSize()) {
				throw new IllegalArgumentException("candidate size " + s + " needs size token " + ids.sizeToken(largest) +
					", outside the vocabulary of " + model.vocabSize());
			}
		}
	}
}
