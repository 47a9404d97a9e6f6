package org.lumina.mgpt.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;

import org.lumina.mgpt.runtime.bundle.BundleFile;
import org.lumina.mgpt.runtime.bundle.DecoderSpec;
import org.lumina.mgpt.runtime.bundle.KvLayout;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.lumina.mgpt.runtime.vq.UniRep;

/**
 * How much memory running a bundle takes, estimated from its manifest before anything is
 * loaded, so that a model that cannot fit is refused with a clear message instead of dying
 * with an out-of-memory error.
 * <p>
 * The largest request is an input image and an answer image of the largest candidate size plus
 * a text budget; with guidance the unconditional stream holds a second cache of the answer
 * image. How the cache is held depends on the bundle's {@link KvLayout}: with {@code concat}
 * each decode step briefly holds the old and the new cache (ONNX Runtime concatenates past and
 * present), hence the factor 2 on the cache; with {@code shared_buffer} both streams are rows of
 * one buffer as long as the conditional stream's, which grows by doubling (capacity below twice
 * the positions, and the half-size buffer alive while it is copied), hence 3 times the
 * conditional stream's cache per row.
 *
 * @param weightBytes the bundle's graph and weight files
 * @param kvBytesPerToken KV cache per position of one stream (keys and values, every layer)
 * @param largestRequestTokens positions of the largest request of the conditional stream
 * @param guidanceTokens positions of the unconditional stream (the answer image)
 * @param kvLayout how the decoder holds its cache
 */
public record MemoryEstimate(long weightBytes, long kvBytesPerToken, long largestRequestTokens, long guidanceTokens,
	KvLayout kvLayout)
{

	/** Text around the images of the largest request: prompt words, separators, a caption. */
	private static final int TEXT_BUDGET = 512;

	/** @return the estimate for {@code manifest} (reads the sizes of its files) */
	public static MemoryEstimate of(final ModelManifest manifest) {
		long weights = 0;
		for (final BundleFile file : manifest.files().all()) {
			try {
				weights += Files.size(manifest.resolve(file));
			}
			catch (final IOException e) {
				throw new UncheckedIOException("cannot read the size of " + file.path(), e);
			}
		}
		final DecoderSpec d = manifest.decoder();
		final long elementBytes = "float16".equals(d.kvDtype()) ? 2 : 4;
		final long perToken = 2L * d.numLayers() * d.numHeads() * d.headDim() * elementBytes;
		final long image = CandidateSizes.forTargetSize(manifest.targetSize()).sizes().stream().mapToInt(
			UniRep::tokenCount).max().orElse(0);
		return new MemoryEstimate(weights, perToken, 2 * image + TEXT_BUDGET, image, d.kvLayout());
	}

	/** @return the estimated peak resident size in bytes */
	public long totalBytes() {
		if (kvLayout == KvLayout.SHARED_BUFFER) {
			final int rows = guidanceTokens > 0 ? 2 : 1;
			return weightBytes + 3 * rows * kvBytesPerToken * largestRequestTokens;
		}
		return weightBytes + 2 * kvBytesPerToken * (largestRequestTokens + guidanceTokens);
	}

	/**
	 * @param availableBytes host memory free for this process
	 * @throws ModelException giving both numbers and the options when the estimate exceeds it
	 */
	public void requireFits(final ModelManifest manifest, final long availableBytes) {
		if (totalBytes() <= availableBytes) return;
		throw new ModelException(manifest.directory(), needs("memory", "", availableBytes) +
			"; close other models (Release Model) or programs, use a smaller-precision bundle (fp16, 4-bit), or run " +
			"on a machine with more memory");
	}

	/**
	 * @param gpuIndex the CUDA device the model would run on
	 * @param freeBytes that device's free memory
	 * @throws ModelException giving both numbers and the options when the estimate exceeds it
	 */
	public void requireFitsOnGpu(final ModelManifest manifest, final int gpuIndex, final long freeBytes) {
		if (totalBytes() <= freeBytes) return;
		throw new ModelException(manifest.directory(), needs("GPU memory", " on GPU " + gpuIndex, freeBytes) +
			"; close other models (Release Model) or programs using that GPU, use a smaller-precision bundle (fp16, " +
			"4-bit), or run on the CPU (device cpu)");
	}

	private String needs(final String what, final String where, final long freeBytes) {
		return String.format(Locale.ROOT, "this model needs about %s of %s (weights %s, KV cache %s for the largest " +
			"request) but only %s is free%s", gib(totalBytes()), what, gib(weightBytes), gib(totalBytes() - weightBytes),
			gib(freeBytes), where);
	}

	private static String gib(final long bytes) {
		return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
	}
}
