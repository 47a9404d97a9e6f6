package org.lumina.mgpt.runtime.bundle;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and validated {@code lumina-model.json} of a model bundle (see
 * docs/bundle-format.md). Read one with {@link ManifestReader#read(Path)}; the reader has already
 * checked that the values add up (token ranges, codebook sizes, target size).
 *
 * @param directory the bundle directory the manifest was read from
 * @param name short model name
 * @param description one-line description ({@code ""} when the manifest has none)
 * @param randomWeights whether the weights are random (test bundles)
 * @param targetSize the checkpoint's training resolution, a multiple of 32; selects the
 *          candidate sizes of input images
 * @param families the task families the model was trained for; every family unless the
 *          manifest names a subset ({@code families}), never empty
 * @param files the bundle files with their checksums
 * @param tokens the vocabulary ids the engine needs
 * @param decoder facts about the decoder graph
 * @param vq facts about the VQGAN graphs
 * @param sampling default sampling settings of every task family
 * @param outputs how each task's answer image is read
 */
public record ModelManifest(Path directory, String name, String description, boolean randomWeights, int targetSize,
	Set<TaskFamily> families, BundleFiles files, TokenIds tokens, DecoderSpec decoder, VqSpec vq,
	Map<TaskFamily, SamplingDefaults> sampling, OutputConventions outputs)
{

	public ModelManifest {
		families = Set.copyOf(families);
		sampling = Map.copyOf(sampling);
	}

	/** @return whether the model was trained for the tasks of {@code family} */
	public boolean covers(final TaskFamily family) {
		return families.contains(family);
	}

	/**
	 * @return the absolute location of a bundle file: in the bundle folder, or in the
	 *         {@code shared/} folder beside it for a file the bundles of one model folder share
	 */
	public Path resolve(final BundleFile file) {
		return directory.resolve(file.path()).normalize();
	}

	/** @return the sampling defaults of {@code family}; every family is present */
	public SamplingDefaults sampling(final TaskFamily family) {
		return sampling.get(family);
	}
}
