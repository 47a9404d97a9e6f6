package org.lumina.mgpt.plugin.ij1;

import java.util.List;

/**
 * One input of a command as an ImageJ 1 dialog shows it. The label starts with {@link #name()},
 * so the macro key (the label's first word, lower-cased) is the SciJava field name.
 *
 * @param name the command's field name, also the macro key
 * @param label the dialog label
 * @param kind which dialog widget
 * @param type the field's Java type, to convert the dialog value back
 * @param defaultValue the value the dialog starts with (never {@code null}; {@code ""} for none)
 * @param choices the items of a {@link Kind#CHOICE}, else empty
 * @param advanced whether the field belongs to the "advanced" group (sampling settings)
 */
public record DialogField(String name, String label, Kind kind, Class<?> type, Object defaultValue,
	List<String> choices, boolean advanced)
{

	/** The GenericDialog widgets used. */
	public enum Kind {
		NUMBER, CHECKBOX, STRING, CHOICE, DIRECTORY
	}

	public DialogField {
		choices = List.copyOf(choices);
	}

	/** @return the macro key ImageJ 1 derives from the label (first word, lower-cased) */
	public String macroKey() {
		final int space = label.indexOf(' ');
		return (space < 0 ? label : label.substring(0, space)).toLowerCase(java.util.Locale.ROOT);
	}

	/** @return decimal places the numeric field shows: 0 for integer types */
	public int digits() {
		return type == int.class || type == long.class || type == Integer.class || type == Long.class ? 0 : 3;
	}
}
