package org.lumina.mgpt.runtime.onnx;

import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;

import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ModelException;

/**
 * What the two KV layouts' sessions share: the conditional sequence is row 0 and the
 * unconditional one row 1; the contract checks of {@link DecoderSession} and
 * {@link GuidedDecoderSession} (closed session, logits array sizes, guided state); the reused
 * input tensors and feed maps; and closing. Subclasses own their KV cache and say how a call runs.
 */
abstract class OrtGuidedSession implements GuidedDecoderSession {

	static final int CONDITIONAL = 0; // the row of the conditional sequence
	static final int UNCONDITIONAL = 1;

	final OrtDecoderModel model;
	final StepTensors tensors;
	final Map<String, OnnxTensor> feed = new HashMap<>(); // NB: reused; every call sets every input
	final Map<String, OnnxTensor> pinned = new HashMap<>(); // outputs written into our own buffers
	private boolean closed;

	OrtGuidedSession(final OrtDecoderModel model) {
		this.model = model;
		this.tensors = new StepTensors(model.sessions().environment());
	}

	/** @return the error of a KV cache that could not be allocated */
	static ModelException cacheAllocationFailed(final OrtDecoderModel model, final OrtException e) {
		return new ModelException(model.bundle(), "cannot allocate the decoder's KV cache: " + e.getMessage(), e);
	}

	// -- What a layout implements --

	/** @return whether the unconditional row is being fed */
	abstract boolean guiding();

	/** Appends to the conditional row alone; the arguments are checked. */
	abstract void appendConditional(int[] tokens, float[] logits);

	/** Appends to both rows, starting the unconditional row if needed; the arguments are checked. */
	abstract void appendRows(int[] conditional, int[] unconditional, float[] conditionalLogits,
		float[] unconditionalLogits);

	/** @return the positions of {@code row} (a row not yet started has none) */
	abstract int positions(int row);

	/** Forgets the positions of {@code row} from {@code numPositions} on; checked to be a rewind. */
	abstract void truncate(int row, int numPositions);

	/** Frees the KV cache. */
	abstract void closeCache();

	// -- DecoderSession methods --

	@Override
	public final void append(final int[] tokens, final float[] logits) {
		checkOpen();
		if (guiding()) throw GuidedDecoderSession.unconditionalOpen();
		DecoderSession.logitPositions(tokens, logits, model.vocabSize());
		appendConditional(tokens, logits);
	}

	@Override
	public final int numPositions() {
		return positions(CONDITIONAL);
	}

	@Override
	public final void rewind(final int numPositions) {
		checkOpen();
		DecoderSession.checkRewind(numPositions, positions(CONDITIONAL));
		truncate(CONDITIONAL, numPositions);
	}

	@Override
	public final void close() {
		if (closed) return;
		closed = true;
		closeCache();
		tensors.close();
	}

	// -- GuidedDecoderSession methods --

	@Override
	public final void appendBoth(final int[] conditional, final int[] unconditional, final float[] conditionalLogits,
		final float[] unconditionalLogits)
	{
		checkOpen();
		DecoderSession.logitPositions(conditional, conditionalLogits, model.vocabSize());
		DecoderSession.logitPositions(unconditional, unconditionalLogits, model.vocabSize());
		appendRows(conditional, unconditional, conditionalLogits, unconditionalLogits);
	}

	@Override
	public final int unconditionalPositions() {
		checkOpen();
		return guiding() ? positions(UNCONDITIONAL) : 0;
	}

	@Override
	public final void rewindUnconditional(final int numPositions) {
		checkOpen();
		if (!guiding()) throw GuidedDecoderSession.noUnconditional();
		DecoderSession.checkRewind(numPositions, positions(UNCONDITIONAL));
		truncate(UNCONDITIONAL, numPositions);
	}

	// -- Helper methods --

	final void checkOpen() {
		if (closed) throw new IllegalStateException("this decoder session is closed; open a new one with openSession()");
	}
}
