package org.lumina.mgpt.runtime;

import java.nio.file.Path;

/**
 * A model bundle could not be read or run: a missing or corrupt file, a manifest that does not
 * match its ONNX graphs, or a failure inside ONNX Runtime. The message names the bundle (and the
 * tensor or file involved) and, where there is one, the fix.
 */
public class ModelException extends RuntimeException {

	private final Path bundle;

	public ModelException(final Path bundle, final String message) {
		this(bundle, message, null);
	}

	public ModelException(final Path bundle, final String message, final Throwable cause) {
		super(bundle == null ? message : message + " (model: " + bundle + ")", cause);
		this.bundle = bundle;
	}

	/** @return the bundle directory involved, or {@code null} when not known */
	public Path bundle() {
		return bundle;
	}
}
