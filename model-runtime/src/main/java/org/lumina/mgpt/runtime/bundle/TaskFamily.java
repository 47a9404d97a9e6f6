package org.lumina.mgpt.runtime.bundle;

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
}
