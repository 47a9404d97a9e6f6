package org.lumina.mgpt.runtime.task;

import java.util.List;
import java.util.Optional;

import org.lumina.mgpt.runtime.GenerationResult;

/**
 * The model's answer to one turn.
 *
 * @param text the answer's text, each generated image replaced by the image placeholder
 *            ({@code <|image|>}) as the reference does
 * @param images the complete generated images, in order
 * @param result the raw tokens and how generation ended
 * @param problem why part of the answer was discarded (an image still open when generation
 *            stopped), or empty when the answer is complete
 */
public record Answer(String text, List<GeneratedImage> images, GenerationResult result, Optional<String> problem) {

	public Answer {
		images = List.copyOf(images);
	}

	/** @return whether nothing was discarded */
	public boolean complete() {
		return problem.isEmpty();
	}
}
