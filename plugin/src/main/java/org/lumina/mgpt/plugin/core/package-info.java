/**
 * Running a task on ImageJ images, without any display: a
 * {@link org.lumina.mgpt.plugin.core.TaskRequest} goes into
 * {@link org.lumina.mgpt.plugin.core.TaskRunner#run}, which returns a
 * {@link org.lumina.mgpt.plugin.core.TaskResult} (new images, table, text, box ROIs, provenance,
 * notices) and reports through {@link org.lumina.mgpt.plugin.core.Progress}. SciJava commands,
 * the ImageJ 1 bridge and the batch CLI all call this one core.
 * <p>
 * Left out on purpose: keypoints from pose images (no verified convention: the picture is shown
 * with a notice), several answers per plane, text answers over more than the first plane.
 */
package org.lumina.mgpt.plugin.core;
