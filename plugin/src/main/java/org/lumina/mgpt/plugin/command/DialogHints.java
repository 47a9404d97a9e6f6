package org.lumina.mgpt.plugin.command;

import java.util.List;

import org.scijava.Context;

/**
 * A command whose dialog depends on the installation: choices read from the model (the image
 * sizes of Text to Image) or start values read from the stored settings.
 */
public interface DialogHints {

	/** @return the choices of {@code field}, or an empty list when it has none */
	List<String> choices(String field, Context context);

	/** @return the value {@code field}'s dialog widget starts with; {@code fallback} by default */
	default Object initialValue(final String field, final Context context, final Object fallback) {
		return fallback;
	}
}
