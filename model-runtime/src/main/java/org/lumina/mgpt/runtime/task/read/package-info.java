/**
 * Reading task answer images into numbers, following the bundle manifest's {@code outputs}
 * conventions: {@link org.lumina.mgpt.runtime.task.read.DepthReader} (relative depth, larger =
 * nearer), {@link org.lumina.mgpt.runtime.task.read.NormalsReader} (unit vectors, x right, y up,
 * z toward the viewer), {@link org.lumina.mgpt.runtime.task.read.SegmentationReader} (labels by
 * nearest palette colour) and {@link org.lumina.mgpt.runtime.task.read.BoxReader} (drawn box
 * outlines), chosen by {@link org.lumina.mgpt.runtime.task.read.OutputReaders#forTask}. Plain
 * Java and ImgLib2 only. Results stay in the answer image's grid; mapping back to the input is
 * the caller's (ResizeMapping).
 * <p>
 * Left out on purpose: keypoints from pose images (no verified convention), box labels or
 * styles other than a solid outline, metric depth.
 */
package org.lumina.mgpt.runtime.task.read;
