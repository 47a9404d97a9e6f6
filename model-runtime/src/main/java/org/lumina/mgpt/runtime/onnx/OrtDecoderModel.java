package org.lumina.mgpt.runtime.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.lumina.mgpt.runtime.DecoderModel;
import org.lumina.mgpt.runtime.DecoderSession;
import org.lumina.mgpt.runtime.GuidedDecoderSession;
import org.lumina.mgpt.runtime.ModelException;
import org.lumina.mgpt.runtime.bundle.KvLayout;

/**
 * The bundle's {@code decoder.onnx} in ONNX Runtime. One {@link OrtSession} is shared by every
 * {@link DecoderSession} it opens (ONNX Runtime sessions may run concurrently); each decoder
 * session keeps its own KV cache, in the way the manifest's {@link KvLayout} says: fed back as
 * ONNX Runtime's outputs ({@link OrtDecoderSession}) or as one buffer updated in place
 * ({@link OrtSharedBufferSession}). Opening checks the graph's inputs and outputs against the
 * manifest and refuses a bundle that does not add up.
 */
public final class OrtDecoderModel implements DecoderModel, AutoCloseable {

	/** What the manifest says the decoder graph must look like. */
	public record Shape(int numLayers, int numHeads, int headDim, int vocabSize, boolean float16Cache,
		boolean hasNumLogitsToKeep, KvLayout kvLayout) {}

	private final OrtSessions sessions;
	private final Path bundle;
	private final OrtSession session;
	private final Path profilePrefix; // NB: null unless the first run is profiled
	private NodePlacement placement;
	private final Shape shape;
	private final AtomicLong runNanos = new AtomicLong();
	private final AtomicLong runCount = new AtomicLong();

	public OrtDecoderModel(final OrtSessions sessions, final Path bundle, final Path graph, final Shape shape) {
		this(sessions, bundle, graph, shape, sessions.usesCuda());
	}

	/**
	 * @param profilePlacement profile the first run, for {@link #placement()} (on by default on
	 *            CUDA, where ONNX Runtime may place nodes on the CPU)
	 */
	OrtDecoderModel(final OrtSessions sessions, final Path bundle, final Path graph, final Shape shape,
		final boolean profilePlacement)
	{
		this.sessions = sessions;
		this.bundle = bundle;
		this.shape = shape;
		this.profilePrefix = profilePlacement ? Path.of(System.getProperty("java.io.tmpdir"), "lumina-placement-" + UUID
			.randomUUID()) : null;
		this.session = sessions.open(bundle, graph, profilePrefix);
		try {
			checkGraph();
		}
		catch (final RuntimeException e) {
			OrtSessions.close(session);
			throw e;
		}
	}

	/**
	 * Which provider runs each node, from one profiled decode step (run now, on first call); the
	 * profile file is deleted afterwards.
	 *
	 * @return the placement, or empty when this model was not opened to profile it
	 */
	public synchronized Optional<NodePlacement> placement() {
		if (profilePrefix == null || placement != null) return Optional.ofNullable(placement);
		try (DecoderSession probe = openSession()) {
			probe.append(new int[] { 0 }, new float[shape.vocabSize()]);
		}
		try {
			final Path profile = Path.of(session.endProfiling());
			try {
				placement = NodePlacement.fromProfile(profile);
			}
			finally {
				Files.deleteIfExists(profile);
			}
		}
		catch (final OrtException | IOException e) {
			throw new ModelException(bundle, "cannot read which provider runs the decoder's nodes: " + e.getMessage(), e);
		}
		return Optional.of(placement);
	}

	@Override
	public int vocabSize() {
		return shape.vocabSize();
	}

	@Override
	public DecoderSession openSession() {
		return openGuidedSession();
	}

	/** Runs both sequences of guidance as the two rows of one decoder call per step (batch 2). */
	@Override
	public GuidedDecoderSession openGuidedSession() {
		return shape.kvLayout() == KvLayout.SHARED_BUFFER ? new OrtSharedBufferSession(this) : new OrtDecoderSession(
			this);
	}

	@Override
	public void close() {
		OrtSessions.close(session);
	}

	/** @return nanoseconds spent inside ONNX Runtime's {@code run} by every session so far */
	public long runNanos() {
		return runNanos.get();
	}

	/** @return how many times ONNX Runtime's {@code run} was called by every session so far */
	public long runCount() {
		return runCount.get();
	}

	// -- Package-private accessors for OrtDecoderSession --

	OrtSession session() {
		return session;
	}

	OrtSessions sessions() {
		return sessions;
	}

	Shape shape() {
		return shape;
	}

	Path bundle() {
		return bundle;
	}

	void recordRun(final long nanos) {
		runNanos.addAndGet(nanos);
		runCount.incrementAndGet();
	}

	// -- Helper methods --

	private void checkGraph() {
		try {
			final Map<String, NodeInfo> inputs = session.getInputInfo();
			final Map<String, NodeInfo> outputs = session.getOutputInfo();
			final boolean shared = shape.kvLayout() == KvLayout.SHARED_BUFFER;
			final Set<String> expectedInputs = new TreeSet<>(shared ? List.of("input_ids", "position_ids") : List.of(
				"input_ids", "attention_mask", "position_ids"));
			for (final String name : expectedInputs) require(inputs, name, OnnxJavaType.INT64, 2);
			if (shared) {
				require(inputs, "seqlens_k", OnnxJavaType.INT32, 1);
				require(inputs, "total_sequence_length", OnnxJavaType.INT32, 0);
				expectedInputs.addAll(List.of("seqlens_k", "total_sequence_length"));
			}
			if (inputs.containsKey("num_logits_to_keep") != shape.hasNumLogitsToKeep()) {
				throw mismatch("the manifest says has_num_logits_to_keep=" + shape.hasNumLogitsToKeep() +
					" but the graph " + (shape.hasNumLogitsToKeep() ? "lacks" : "has") + " input num_logits_to_keep");
			}
			final long[] logits = require(outputs, "logits", OnnxJavaType.FLOAT, 3);
			if (logits[2] != shape.vocabSize()) {
				throw mismatch("logits have " + logits[2] + " entries but the manifest says vocab_size " + shape.vocabSize());
			}
			final OnnxJavaType cacheType = shape.float16Cache() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
			int layersInGraph = 0;
			while (inputs.containsKey(pastName(layersInGraph, "key"))) layersInGraph++;
			if (layersInGraph != shape.numLayers()) {
				throw mismatch("the graph has " + layersInGraph + " layers of KV cache but the manifest says num_layers " +
					shape.numLayers());
			}
			final Set<String> expectedOutputs = new TreeSet<>(List.of("logits"));
			if (shape.hasNumLogitsToKeep()) expectedInputs.add("num_logits_to_keep");
			for (int i = 0; i < shape.numLayers(); i++) {
				for (final String kind : new String[] { "key", "value" }) {
					checkCacheShape(require(inputs, pastName(i, kind), cacheType, 4), pastName(i, kind));
					checkCacheShape(require(outputs, presentName(i, kind), cacheType, 4), presentName(i, kind));
					expectedInputs.add(pastName(i, kind));
					expectedOutputs.add(presentName(i, kind));
				}
			}
			refuseUnexpected("inputs", inputs.keySet(), expectedInputs);
			refuseUnexpected("outputs", outputs.keySet(), expectedOutputs);
		}
		catch (final OrtException e) {
			throw new ModelException(bundle, "cannot read the inputs and outputs of decoder.onnx: " + e.getMessage(), e);
		}
	}

	private void refuseUnexpected(final String what, final Set<String> actual, final Set<String> expected) {
		final Set<String> unexpected = new TreeSet<>(actual);
		unexpected.removeAll(expected);
		if (!unexpected.isEmpty()) throw mismatch("unexpected " + what + " " + unexpected);
	}

	private void checkCacheShape(final long[] dims, final String name) {
		if (dims[1] != shape.numHeads() || dims[3] != shape.headDim()) {
			throw mismatch(name + " has heads x head_dim " + dims[1] + "x" + dims[3] + " but the manifest says " +
				shape.numHeads() + "x" + shape.headDim());
		}
	}

	private long[] require(final Map<String, NodeInfo> infos, final String name, final OnnxJavaType type,
		final int rank)
	{
		final NodeInfo info = infos.get(name);
		if (info == null) throw mismatch("decoder.onnx has no tensor named " + name);
		final TensorInfo tensor = (TensorInfo) info.getInfo();
		if (tensor.type != type || tensor.getShape().length != rank) {
			throw mismatch(name + " is " + tensor.type + " of rank " + tensor.getShape().length + ", expected " + type +
				" of rank " + rank);
		}
		return tensor.getShape();
	}

	private ModelException mismatch(final String what) {
		return new ModelException(bundle, "decoder.onnx does not match lumina-model.json (kv_layout " + shape.kvLayout()
			.key() + "): " + what + "; re-export the bundle so that graph and manifest agree");
	}

	static String pastName(final int layer, final String kind) {
		return "past_key_values." + layer + "." + kind;
	}

	static String presentName(final int layer, final String kind) {
		return "present." + layer + "." + kind;
	}

	/**
	 * @param prefix {@code past_key_values} or {@code present}
	 * @return the cache tensors' names, {@code [layer * 2 + (0 key | 1 value)]}, as made once per
	 *         session rather than at every step
	 */
	static String[] cacheNames(final int numLayers, final String prefix) {
		final String[] names = new String[2 * numLayers];
		for (int i = 0; i < names.length; i++) names[i] = prefix + "." + i / 2 + "." + (i % 2 == 0 ? "key" : "value");
		return names;
	}
}
