package org.lumina.mgpt.plugin.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lumina.mgpt.plugin.service.BundledModels;
import org.lumina.mgpt.plugin.service.LuminaModelService;
import org.lumina.mgpt.runtime.LoadedModels;
import org.lumina.mgpt.runtime.bundle.BundleFile;
import org.lumina.mgpt.runtime.bundle.BundleVerifier;
import org.lumina.mgpt.runtime.bundle.ManifestReader;
import org.lumina.mgpt.runtime.bundle.ModelFolder;
import org.lumina.mgpt.runtime.bundle.ModelManifest;
import org.lumina.mgpt.runtime.bundle.TaskFamily;
import org.lumina.mgpt.runtime.image.CandidateSizes;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * Plugins &gt; Lumina-mGPT &gt; Model Manager: reads a bundle folder (or each bundle of a folder
 * of bundles, e.g. one per task family), optionally verifies the checksums, and lists what each
 * holds (name, task families, target size, random weights, decoder and VQ sizes, files, output
 * conventions), then the bundled demo models and the loaded models, as a two-column table.
 */
@Plugin(type = Command.class)
public class ModelManagerCommand implements Command {

	@Parameter
	private LuminaModelService models;

	@Parameter
	private LogService log;

	@Parameter(label = "model_dir", style = "directory", required = false, persist = false,
		description = "Bundle folder, or folder of bundles, to inspect; empty = the Settings default, else the bundled " +
			"demo model")
	private File model_dir;

	@Parameter(label = "verify_checksums", persist = false,
		description = "Check every file's SHA-256 against the manifest (slow once, then cached)")
	private boolean verify_checksums = true;

	@Parameter(type = ItemIO.OUTPUT, label = "model")
	private ResultsTable model;

	// -- Runnable methods --

	@Override
	public void run() {
		model = new ResultsTable();
		for (final Path bundle : ModelFolder.bundles(models.modelFolder(model_dir))) {
			describe(ManifestReader.read(bundle));
		}
		for (final Path bundled : BundledModels.all()) add("bundled_model", bundled.toString());
		for (final LoadedModels.Entry loaded : models.loaded()) {
			add("loaded_model", loaded.key() + ", used by " + loaded.users() + " command(s)");
		}
	}

	// -- Helper methods --

	/** Adds the rows of one bundle, its folder first, verifying its checksums when asked. */
	private void describe(final ModelManifest manifest) {
		final Path dir = manifest.directory();
		add("folder", dir.toString());
		add("name", manifest.name());
		add("families", TaskFamily.keys(manifest.families()));
		add("description", manifest.description());
		add("random_weights", String.valueOf(manifest.randomWeights()));
		add("target_size", String.valueOf(manifest.targetSize()));
		add("image_sizes", CandidateSizes.forTargetSize(manifest.targetSize()).toString());
		add("decoder", manifest.decoder().numLayers() + " layers, " + manifest.decoder().numHeads() + " heads x " +
			manifest.decoder().headDim() + ", hidden " + manifest.decoder().hiddenSize() + ", vocabulary " + manifest
				.decoder().vocabSize() + ", " + manifest.decoder().dtype());
		add("vq", "downsample " + manifest.vq().downsample() + ", codebook " + manifest.vq().codebookSize());
		for (final BundleFile file : manifest.files().all()) {
			add("file", file.path() + " (" + size(manifest.resolve(file)) + ")");
			for (final BundleFile data : file.externalData()) add("file", data.path() + " (" + size(manifest.resolve(
				data)) + ")");
		}
		add("outputs", manifest.outputs().toString());
		if (verify_checksums) {
			new BundleVerifier().verify(manifest);
			add("checksums", "verified");
		}
		log.info("Lumina-mGPT model " + manifest.name() + " in " + dir + (verify_checksums ? ": checksums verified" : ""));
	}

	private void add(final String property, final String value) {
		model.incrementCounter();
		model.addValue("property", property);
		model.addValue("value", value);
	}

	private static String size(final Path file) {
		try {
			return String.format("%.1f MB", Files.size(file) / 1e6);
		}
		catch (final java.io.IOException e) {
			return "missing";
		}
	}
}
