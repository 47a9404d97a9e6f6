package org.lumina.mgpt.plugin.ij1;

import org.lumina.mgpt.plugin.command.LuminaCommands;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * The README's table of every command's macro keys, generated from the commands'
 * {@code @Parameter}s (a test keeps the README equal to it). Run {@link #main} to print it.
 */
public final class ParameterTable {

	private ParameterTable() {}

	/** @return one Markdown section per command: label, then a key/type/default/description table */
	public static String markdown() {
		final StringBuilder md = new StringBuilder();
		for (final LuminaCommands.Entry entry : LuminaCommands.all()) {
			md.append("#### ").append(entry.label()).append("\n\n");
			final String image = DialogFields.imageInput(entry.command());
			if (image != null) md.append("Runs on the current image (`").append(image).append("` in scripts).\n\n");
			md.append("| key | type | default | description |\n|---|---|---|---|\n");
			final CommandInfo info = new CommandInfo(entry.command());
			for (final DialogField f : DialogFields.of(entry.command(), null)) {
				final ModuleItem<?> item = info.getInput(f.name());
				md.append("| `").append(f.name()).append("` | ").append(type(f)).append(" | ").append(value(f)).append(
					" | ").append(f.advanced() ? "advanced: " : "").append(item.getDescription()).append(" |\n");
			}
			md.append('\n');
		}
		return md.toString();
	}

	public static void main(final String... args) {
		System.out.print(markdown());
	}

	// -- Helper methods --

	private static String type(final DialogField f) {
		switch (f.kind()) {
			case NUMBER:
				return f.digits() == 0 ? "integer" : "number";
			case CHECKBOX:
				return "checkbox";
			case DIRECTORY:
				return "folder";
			case CHOICE:
				return "choice: " + String.join(", ", f.choices());
			default:
				return "text";
		}
	}

	private static String value(final DialogField f) {
		if (f.kind() == DialogField.Kind.CHECKBOX) return (Boolean) f.defaultValue() ? "on" : "off";
		final String v = String.valueOf(f.defaultValue());
		return v.isEmpty() ? "(empty)" : "`" + v + "`";
	}
}
