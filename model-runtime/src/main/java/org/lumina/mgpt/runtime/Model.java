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
	private final TextTokenizer tokenizer;
	private final OrtDecoderModel decoder;
	private final OrtVqCodec vq;
	private final CandidateSizes candidateSizes;
	private final String providerReport;

	private Model(final ModelManifest manifest, final TextTokenizer tokenizer,
		final OrtDecoderModel decoder, final OrtVqCodec vq, final String providerReport)
	{
		this.providerReport = providerReport;
		this.manifest = manifest;
		this.tokenizer = tokenizer;
		this.decoder = decoder;
		this.vq = vq;
		this.candidateSizes = CandidateSizes.forTargetSize(manifest.targetSize());
	}

	/** Opens the bundle in {@code directory} without progress reports: see {@link #open(Path, ModelOptions, LoadProgress)}. */
	public static Model open(final Path directory, final ModelOptions options) {
		return open(directory, options, LoadProgress.NONE);
	}

	/**
	 * Opens the bundle in {@code directory}: reads and validates the manifest, verifies checksums
	 * (when asked), refuses a model that cannot fit in the free host or GPU memory
	 * ({@link MemoryEstimate}), loads the tokenizer and one ONNX Runtime session per graph, and
	 * cross-checks each against the manifest. ONNX Runtime maps the weight files into memory
	 * itself; none of their bytes pass through the Java heap.
	 *
	 * @param progress told when each phase starts; cancelling it stops the load between phases
	 * @throws ModelException naming the file and the problem when anything does not add up
	 * @throws java.util.concurrent.CancellationException when {@code progress} cancelled the load
	 *         (everything opened so far is closed)
	 */
	public static Model open(final Path directory, final ModelOptions options, final LoadProgress progress) {
		final ModelManifest manifest = ManifestReader.read(directory);
		try (LoadPhases phases = new LoadPhases(progress, options.verifyChecksums() ? 6 : 5)) {
			if (options.verifyChecksums()) {
				phases.next("verifying checksums");
				new BundleVerifier().verify(manifest);
			}
			phases.next("checking memory");
			final OrtSessions sessions = new OrtSessions(options.device(), options.cpuThreads(), options.strictDevice());
			requireMemory(manifest, sessions, options.device());
			phases.next("loading the tokenizer");
			final TextTokenizer tokenizer = phases.own(TextTokenizer.open(manifest));
			phases.next("loading " + manifest.files().decoder().path());
			final DecoderSpec spec = manifest.decoder();
			final OrtDecoderModel decoder = phases.own(new OrtDecoderModel(sessions, directory, manifest.resolve(manifest
				.files().decoder()), new OrtDecoderModel.Shape(spec.numLayers(), spec.numHeads(), spec.headDim(), spec
					.vocabSize(), "float16".equals(spec.kvDtype()), spec.hasNumLogitsToKeep(), spec.kvLayout())));
			// NB: on CUDA, one profiled step tells which nodes ONNX Runtime placed on the CPU
			final String placement = decoder.placement().map(p -> "; " + p.describe("decoder")).orElse("");
			phases.next("loading " + manifest.files().vqEncoder().path());
			final OrtVqCodec vq = phases.own(new OrtVqCodec(sessions, directory, manifest.resolve(manifest.files()
				.vqEncoder()), manifest.resolve(manifest.files().vqDecoder()), manifest.vq().downsample(), manifest.vq()
					.codebookSize(), () -> phases.next("loading " + manifest.files().vqDecoder().path())));
			phases.completed();
			return new Model(manifest, tokenizer, decoder, vq, sessions.providerReport() + placement);
		}
	}

	/**
	 * Refuses a model that cannot fit: on the CPU against free host memory; on CUDA against the
	 * GPU's free memory where nvidia-smi tells it (the weights and cache live on the device).
	 */
	private static void requireMemory(final ModelManifest manifest, final OrtSessions sessions, final Device device) {
		final MemoryEstimate estimate = MemoryEstimate.of(manifest);
		if (!sessions.usesCuda()) {
			estimate.requireFits(manifest, HostMemory.available());
			return;
		}
		GpuMemory.free(device.gpuIndex()).ifPresent(free -> estimate.requireFitsOnGpu(manifest, device.gpuIndex(),
			free));
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

	/**
	 * @return one line saying which execution provider runs and why, for the log; on CUDA also how
	 *         many decoder nodes ONNX Runtime runs on the CPU
	 */
	public String providerReport() {
		return providerReport;
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
