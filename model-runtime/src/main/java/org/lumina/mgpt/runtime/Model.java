package org.lumina.mgpt.runtime;

import java.nio.file.Path;

import org.lumina.mgpt.runtime.bundle.BundleVerifier;
import org.lumina.mgpt.runtime.bundle.DecoderSpec;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.onnx.OrtDecoderModel;
import org.lumina.mgpt.runtime.onnx.OrtSessions;
import org.lumina.mgpt.runtime.onnx.OrtVqCodec;
import org.lumina.mgpt.runtime.text.ChatTemplate;
import org.lumina.mgpt.runtime.text.TextTokenizer;
import org.lumina.mgpt.runtime.vq.VqDecoder;
import org.lumina.mgpt.runtime.vq.VqEncoder;

/**
 * An opened model bundle: manifest, text tokenizer, decoder and VQ codec, each checked against
 * the manifest. Thread-safe and meant to be shared: generations open their own
 * {@link DecoderSession}s. Close it to free the ONNX Runtime sessions.
 */
public final class Model implements AutoCloseable {

	private final ModelManifest manifest;
	private final OrtSessions sessions;
	private final TextTokenizer tokenizer;
	private final OrtDecoderModel decoder;
	private final OrtVqCodec vq;
	private final CandidateSizes candidateSizes;

	private Model(final ModelManifest manifest, final OrtSessions sessions, final TextTokenizer tokenizer,
		final OrtDecoderModel decoder, final OrtVqCodec vq)
	{
		this.manifest = manifest;
		this.sessions = sessions;
		this.tokenizer = tokenizer;
		this.decoder = decoder;
		this.vq = vq;
		this.candidateSizes = CandidateSizes.forTargetSize(manifest.targetSize());
	}

	/**
	 * Opens the bundle in {@code directory}: reads and validates the manifest, verifies checksums
	 * (when asked), refuses a model that cannot fit in the free memory ({@link MemoryEstimate}),
	 * loads the tokenizer and the three ONNX graphs and cross-checks them.
	 *
	 * @throws ModelException naming the file and the problem when anything does not add up
	 */
	public static Model open(final Path directory, final ModelOptions options) {
		final ModelManifest manifest = ManifestReader.read(directory);
		if (options.verifyChecksums()) new BundleVerifier().verify(manifest);
		MemoryEstimate.of(manifest).requireFits(manifest, HostMemory.available());
		final OrtSessions sessions = new OrtSessions(options.device(), options.cpuThreads());
		TextTokenizer tokenizer = null;
		OrtDecoderModel decoder = null;
		try {
			tokenizer = TextTokenizer.open(manifest);
			final DecoderSpec spec = manifest.decoder();
			decoder = new OrtDecoderModel(sessions, directory, manifest.resolve(manifest.files().decoder()),
				new OrtDecoderModel.Shape(spec.numLayers(), spec.numHeads(), spec.headDim(), spec.vocabSize(),
					"float16".equals(spec.kvDtype()), spec.hasNumLogitsToKeep()));
			final OrtVqCodec vq = new OrtVqCodec(sessions, directory, manifest.resolve(manifest.files().vqEncoder()),
				manifest.resolve(manifest.files().vqDecoder()), manifest.vq().downsample(), manifest.vq().codebookSize());
			return new Model(manifest, sessions, tokenizer, decoder, vq);
		}
		catch (final RuntimeException e) {
			if (decoder != null) decoder.close();
			if (tokenizer != null) tokenizer.close();
			throw e;
		}
	}

	/** @return the bundle's manifest */
	public ModelManifest manifest() {
		return manifest;
	}

	/** @return the text tokenizer (thread-safe) */
	public TextTokenizer tokenizer() {
		return tokenizer;
	}

	/** @return a chat template on this model's tokenizer */
	public ChatTemplate chatTemplate() {
		return new ChatTemplate(tokenizer);
	}

	/** @return the decoder; open a session per sequence */
	public DecoderModel decoder() {
		return decoder;
	}

	/** @return the VQ encoder (pixels → codes) */
	public VqEncoder vqEncoder() {
		return vq;
	}

	/** @return the VQ decoder (codes → pixels) */
	public VqDecoder vqDecoder() {
		return vq;
	}

	/** @return the image sizes this model reads and writes (spec §2.2 for its target size) */
	public CandidateSizes candidateSizes() {
		return candidateSizes;
	}

	/** @return one line saying which execution provider runs and why, for the log */
	public String providerReport() {
		return sessions.providerReport();
	}

	/** @return nanoseconds spent inside ONNX Runtime's decoder {@code run} so far, for benchmarks */
	public long decoderRunNanos() {
		return decoder.runNanos();
	}

	@Override
	public void close() {
		try {
			vq.close();
			decoder.close();
		}
		finally {
			tokenizer.close();
		}
	}
}
