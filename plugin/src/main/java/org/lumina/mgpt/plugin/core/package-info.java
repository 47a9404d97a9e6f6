/**
 * Running a task on ImageJ images, without any display: a
 * {@link org.lumina.mgpt.plugin.core.TaskRequest} goes into
 * {@link org.lumina.mgpt.plugin.core.TaskRunner#run}, which returns a
 * {@link org.lumina.mgpt.plugin.core.TaskResult} (new images, table, text, ROIs, provenance,
 * notices) and reports through {@link org.lumina.mgpt.plugin.core.Progress}. SciJava commands,
 * the ImageJ 1 bridge and the batch CLI all call this one core. Pose answers are read into
 * keypoint and limb ROIs and a keypoint table only when the model's manifest declares the
 * keypoint convention ({@code outputs.pose} with {@code "encoding": "keypoints"}); with
 * {@code "pose": "unknown"} (real checkpoints) the picture is shown with a notice.
 * <p>
 * Left out on purpose: several answers per plane, text answers over more than the first plane,
 * several people per pose answer (one keypoint of each name is read).
 */
package org.lumina.mgpt.plugin.core;
