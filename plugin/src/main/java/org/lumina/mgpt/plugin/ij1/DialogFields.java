package org.lumina.mgpt.plugin.ij1;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lumina.mgpt.plugin.command.DialogHints;
import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModuleItem;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

import ij.ImagePlus;

/**
 * Maps a SciJava command's {@code @Parameter} inputs to ImageJ 1 dialog fields and dialog values
 * back to command inputs. Image inputs, services and the context are left out: the bridge fills
 * the image from the current image, the context fills the rest.
 */
public final class DialogFields {

	/** The attribute ({@code @Attr(name = GROUP, value = ADVANCED)}) of advanced parameters. */
	public static final String GROUP = "group";
	public static final String ADVANCED = "advanced";

	private DialogFields() {}

	/**
	 * @param context used by commands whose choices depend on the installed model ({@code size});
	 *          may be {@code null}, then those choices are left empty
	 * @return the dialog fields of {@code command}, in the command's parameter order, advanced ones last
	 */
	public static List<DialogField> of(final Class<? extends Command> command, final Context context) {
		final Command defaults = instantiate(command);
		final List<DialogField> fields = new ArrayList<>();
		for (final ModuleItem<?> item : new CommandInfo(command).inputs()) {
			if (!shown(item)) continue;
			final Field field = ((CommandModuleItem<?>) item).getField();
			field.setAccessible(true);
			final Object value;
			try {
				value = field.get(defaults);
			}
			catch (final IllegalAccessException e) {
				throw new IllegalStateException("cannot read the default of " + command.getName() + "." + field.getName(), e);
			}
			fields.add(field(item, value, defaults, context));
		}
		// NB: superclass parameters come first; the advanced group goes last, in a stable order.
		fields.sort(java.util.Comparator.comparing(DialogField::advanced));
		return fields;
	}

	/** @return whether {@code command} has an {@link ImagePlus} input (the current image) */
	public static boolean takesImage(final Class<? extends Command> command) {
		for (final ModuleItem<?> item : new CommandInfo(command).inputs()) {
			if (ImagePlus.class.isAssignableFrom(item.getType())) return true;
		}
		return false;
	}

	/** @return the name of {@code command}'s {@link ImagePlus} input, or {@code null} */
	public static String imageInput(final Class<? extends Command> command) {
		for (final ModuleItem<?> item : new CommandInfo(command).inputs()) {
			if (ImagePlus.class.isAssignableFrom(item.getType())) return item.getName();
		}
		return null;
	}

	/**
	 * Converts dialog values (numbers as {@code Double}, booleans, strings) to command inputs.
	 *
	 * @param values one value per field, in the order of {@code fields}
	 * @throws IllegalArgumentException naming the key when a number is not a whole number where
	 *           one is needed
	 */
	public static Map<String, Object> toInputs(final List<DialogField> fields, final List<Object> values) {
		if (fields.size() != values.size()) {
			throw new IllegalArgumentException(fields.size() + " fields but " + values.size() + " values");
		}
		final Map<String, Object> inputs = new LinkedHashMap<>();
		for (int i = 0; i < fields.size(); i++) {
			inputs.put(fields.get(i).name(), convert(fields.get(i), values.get(i)));
		}
		return inputs;
	}

	// -- Helper methods --

	private static boolean shown(final ModuleItem<?> item) {
		final Class<?> type = item.getType();
		return item.getVisibility() != ItemVisibility.MESSAGE && !Service.class.isAssignableFrom(type) &&
			!Context.class.isAssignableFrom(type) && !ImagePlus.class.isAssignableFrom(type);
	}

	private static DialogField field(final ModuleItem<?> item, final Object value, final Command defaults,
		final Context context)
	{
		final Class<?> type = item.getType();
		final String name = item.getName();
		final String label = item.getLabel() == null || item.getLabel().isEmpty() ? name : item.getLabel();
		final boolean advanced = ADVANCED.equals(item.get(GROUP));
		final List<String> choices = new ArrayList<>();
		for (final Object c : item.getChoices() == null ? List.of() : item.getChoices()) choices.add(String.valueOf(c));
		if (choices.isEmpty() && defaults instanceof DialogHints && context != null) {
			choices.addAll(((DialogHints) defaults).choices(name, context));
		}
		final DialogField.Kind kind;
		if (type == boolean.class || type == Boolean.class) kind = DialogField.Kind.CHECKBOX;
		else if (Number.class.isAssignableFrom(box(type))) kind = DialogField.Kind.NUMBER;
		else if (File.class.isAssignableFrom(type)) kind = DialogField.Kind.DIRECTORY;
		else if (!choices.isEmpty()) kind = DialogField.Kind.CHOICE;
		else kind = DialogField.Kind.STRING;
		Object start = defaults instanceof DialogHints && context != null ? ((DialogHints) defaults).initialValue(name,
			context, value) : value;
		if (start == null) start = kind == DialogField.Kind.CHOICE ? choices.get(0) : "";
		if (start instanceof File) start = ((File) start).getPath();
		return new DialogField(name, label, kind, type, start, choices, advanced);
	}

	private static Object convert(final DialogField field, final Object value) {
		final Class<?> type = box(field.type());
		if (type == Boolean.class) return value;
		if (File.class.isAssignableFrom(type)) {
			final String path = String.valueOf(value).trim();
			return path.isEmpty() ? null : new File(path);
		}
		if (Number.class.isAssignableFrom(type)) {
			final double d = ((Number) value).doubleValue();
			if (type == Double.class) return d;
			if (type == Float.class) return (float) d;
			if (Double.isNaN(d) || d != Math.rint(d)) {
				throw new IllegalArgumentException(field.name() + " must be a whole number, got " + value);
			}
			return type == Long.class ? (Object) (long) d : (Object) (int) d;
		}
		return String.valueOf(value);
	}

	private static Class<?> box(final Class<?> type) {
		if (!type.isPrimitive()) return type;
		if (type == int.class) return Integer.class;
		if (type == long.class) return Long.class;
		if (type == double.class) return Double.class;
		if (type == float.class) return Float.class;
		if (type == boolean.class) return Boolean.class;
		return type;
	}

	private static Command instantiate(final Class<? extends Command> command) {
		try {
			return command.getDeclaredConstructor().newInstance();
		}
		catch (final ReflectiveOperationException e) {
			throw new IllegalStateException(command.getName() + " needs a public no-argument constructor", e);
		}
	}
}
