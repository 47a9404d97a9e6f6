package org.lumina.mgpt.plugin.batch;

import java.util.Map;
import java.util.function.BooleanSupplier;

import ij.ImagePlus;

/**
 * The work a {@link BatchRunner} does for each input: what identifies the result before it is
 * computed (so that a finished result can be skipped) and the computation itself.
 * Implementations are used from one thread.
 */
public interface BatchTask {

	/** @return the task id that names the outputs, {@code <basename>-<id>.tif} */
	String id();

	/**
	 * The provenance entries the result for {@code input} would carry and that decide whether an
	 * existing result is the same (model checksum, task, prompt, seed, sampling settings, input
	 * checksum, preprocessing). Cheap: runs no model.
	 *
	 * @param input the opened input, or {@code null} for a task without input
	 */
	Map<String, String> identity(ImagePlus input);

	/**
	 * Computes the result of one input.
	 *
	 * @param input the opened input, or {@code null} for a task without input
	 * @param progress told about planes and tokens
	 * @param cancelled polled while running; when it turns true the task throws
	 *          {@link java.util.concurrent.CancellationException}
	 * @throws Exception any failure, reported for this input only
	 */
	BatchOutput run(ImagePlus input, BatchListener progress, BooleanSupplier cancelled) throws Exception;
}
