package org.lumina.mgpt.runtime.bundle;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The task families that share sampling defaults ({@code sampling} in the manifest): text to
 * image; every task that answers an input image with an image (depth, normals, segmentation,
 * pose, detect, condition, edit); and text answers (describe, ask, chat).
 */
public enum TaskFamily {

	TEXT_TO_IMAGE("text_to_image"), IMAGE_TO_IMAGE("image_to_image"), TEXT("text");

	private final String key;

	TaskFamily(final String key) {
		this.key = key;
	}

	/** @return the manifest key of this family, e.g. {@code text_to_image} */
	public String key() {
		return key;
	}

	/** @return the family whose manifest key is {@code key}, if any */
	public static Optional<TaskFamily> ofKey(final String key) {
		return Arrays.stream(values()).filter(family -> family.key.equals(key)).findFirst();
	}

	/** @return the manifest keys of {@code families} in declaration order, for messages: {@code text_to_image, text} */
	public static String keys(final Collection<TaskFamily> families) {
		return Arrays.stream(values()).filter(families::contains).map(TaskFamily::key).collect(Collectors.joining(", "));
	}
}
