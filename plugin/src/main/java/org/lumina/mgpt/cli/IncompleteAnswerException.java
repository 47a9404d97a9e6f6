package org.lumina.mgpt.cli;

/**
 * A generation stopped inside an image: that image was discarded. The rest of the answer was
 * written, and {@code generation.json} records the problem ({@code "complete": false}); the CLI
 * exits with code {@value ErrorReporter#INCOMPLETE}.
 */
final class IncompleteAnswerException extends RuntimeException {

	IncompleteAnswerException(final String message) {
		super(message);
	}
}
