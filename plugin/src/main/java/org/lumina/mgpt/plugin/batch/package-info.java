/**
 * Batch processing of files, plain Java: {@link org.lumina.mgpt.plugin.batch.BatchRunner} runs a
 * {@link org.lumina.mgpt.plugin.batch.BatchTask} (a catalog task through the task runner:
 * {@link org.lumina.mgpt.plugin.batch.TaskBatch}) on each input of
 * {@link org.lumina.mgpt.plugin.batch.BatchInputs}, skips inputs whose result TIFF carries the same
 * provenance, writes each input's files atomically and sums up in a
 * {@link org.lumina.mgpt.plugin.batch.BatchSummary}. Used by {@code ./lumina run} and the Batch
 * Process Folder command.
 * <p>
 * Left out on purpose: sub-folders (not searched), parallel inputs (one model run at a time uses
 * the cores already), cleaning up temporary files a killed JVM left (they are hidden
 * {@code .partial-*} files, never taken for results), and removing a {@code .csv}/{@code .txt}
 * that an earlier run of other settings wrote beside a redone TIFF.
 */
package org.lumina.mgpt.plugin.batch;
