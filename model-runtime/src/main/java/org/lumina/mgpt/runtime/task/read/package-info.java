/**
 * Reading task answer images into numbers, following the bundle manifest's {@code outputs}
 * conventions: {@link org.lumina.mgpt.runtime.task.read.DepthReader} (relative depth, larger =
 * nearer), {@link org.lumina.mgpt.runtime.task.read.NormalsReader} (unit vectors, x right, y up,
 * z toward the viewer), {@link org.lumina.mgpt.runtime.task.read.SegmentationReader} (labels by
 * nearest palette colour), {@link org.lumina.mgpt.runtime.task.read.BoxReader} (drawn box
 * outlines) and {@link org.lumina.mgpt.runtime.task.read.KeypointReader} (named keypoints of a
 * pose map, and its limbs; only where the manifest declares {@code outputs.pose} with
 * {@code "encoding": "keypoints"}, as the synthetic bundles do: real checkpoints keep
 * {@code "unknown"} and get no reader), chosen by
 * {@link org.lumina.mgpt.runtime.task.read.OutputReaders#forTask}. Plain Java and ImgLib2 only.
 * Results stay in the answer image's grid; mapping back to the input is the caller's
 * (ResizeMapping; {@link org.lumina.mgpt.runtime.task.read.Keypoint#toInput} for keypoints).
 * <p>
 * Left out on purpose: box labels or styles other than a solid outline, metric depth, several
 * people in one pose map (one keypoint of each name is read), keypoint encodings other than
 * coloured discs (heatmaps, coordinates in text).
 */
package org.lumina.mgpt.runtime.task.read;
