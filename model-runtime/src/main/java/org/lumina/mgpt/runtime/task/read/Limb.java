package org.lumina.mgpt.runtime.task.read;

/**
 * A limb of a pose map: the line between two keypoints of the manifest.
 *
 * @param from the keypoint it starts at, e.g. {@code neck}
 * @param to the keypoint it ends at, e.g. {@code left_elbow}; pose maps draw the line in a
 *          darker shade of this keypoint's colour
 */
public record Limb(String from, String to) {}
