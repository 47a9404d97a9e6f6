package org.lumina.mgpt.plugin.ij1;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.lumina.mgpt.plugin.command.LuminaCommands;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

/**
 * The ImageJ 1 menu entry of a Lumina-mGPT command ({@code plugins.config}:
 * {@code CommandBridge("depth")}): shows a {@link GenericDialog} built from the command's
 * {@code @Parameter}s, whose labels start with the field names, so {@code run("Depth
 * Estimation", "seed=3 add_overlay")} works in a macro and the recorder writes the same keys;
 * then runs the command through SciJava with the current image, and shows the new images.
 */
public class CommandBridge implements PlugIn {

	@Override
	public void run(final String arg) {
		try {
			runCommand(arg);
		}
		catch (final RuntimeException | LinkageError e) {
			// NB: ImageJ 1 drops exceptions of plugins run by headless macros without a word.
			IJ.log("Lumina-mGPT " + arg + " failed: " + e);
			throw e;
		}
	}

	// -- Helper methods --

	private static void runCommand(final String arg) {
		final LuminaCommands.Entry entry;
		try {
			entry = LuminaCommands.get(arg);
		}
		catch (final IllegalArgumentException e) {
			IJ.error("Lumina-mGPT", e.getMessage());
			return;
		}
		final Class<? extends Command> command = entry.command();
		final String imageInput = DialogFields.imageInput(command);
		final ImagePlus image = imageInput == null ? null : WindowManager.getCurrentImage();
		if (imageInput != null && image == null) {
			IJ.noImage();
			return;
		}
		final List<DialogField> fields = DialogFields.of(command, BridgeContext.get());
		final Map<String, Object> inputs;
		try {
			inputs = showDialog(entry.label(), fields);
		}
		catch (final IllegalArgumentException e) {
			IJ.log("Lumina-mGPT " + entry.label() + ": " + e.getMessage());
			IJ.error(entry.label(), e.getMessage());
			return;
		}
		if (inputs == null) return; // canceled
		if (imageInput != null) inputs.put(imageInput, image);
		run(entry, inputs);
	}

	/** @return the command inputs read from the dialog (or the macro options), {@code null} if canceled */
	static Map<String, Object> showDialog(final String title, final List<DialogField> fields) {
		final GenericDialog dialog = new GenericDialog("Lumina-mGPT: " + title);
		boolean advancedShown = false;
		for (final DialogField f : fields) {
			if (f.advanced() && !advancedShown) {
				dialog.addMessage("Advanced (-1 = the model's default for this task)");
				advancedShown = true;
			}
			switch (f.kind()) {
				case NUMBER:
					dialog.addNumericField(f.label(), ((Number) f.defaultValue()).doubleValue(), f.digits());
					break;
				case CHECKBOX:
					dialog.addCheckbox(f.label(), (Boolean) f.defaultValue());
					break;
				case CHOICE:
					dialog.addChoice(f.label(), withMacroValue(f), String.valueOf(f.defaultValue()));
					break;
				case DIRECTORY:
					// NB: ij1-patcher's headless dialog has no directory field; same macro key either way.
					if (GraphicsEnvironment.isHeadless()) dialog.addStringField(f.label(), String.valueOf(f.defaultValue()), 24);
					else dialog.addDirectoryField(f.label(), String.valueOf(f.defaultValue()));
					break;
				default:
					dialog.addStringField(f.label(), String.valueOf(f.defaultValue()), 24);
			}
		}
		dialog.showDialog();
		if (dialog.wasCanceled()) return null;
		final List<Object> values = new ArrayList<>();
		for (final DialogField f : fields) {
			switch (f.kind()) {
				case NUMBER:
					values.add(dialog.getNextNumber());
					break;
				case CHECKBOX:
					values.add(dialog.getNextBoolean());
					break;
				case CHOICE:
					values.add(dialog.getNextChoice());
					break;
				default:
					values.add(dialog.getNextString());
			}
		}
		if (dialog.invalidNumber()) throw new IllegalArgumentException(dialog.getErrorMessage());
		return DialogFields.toInputs(fields, values);
	}

	/**
	 * NB: a choice list comes from the default model (e.g. Text to Image's sizes), but a macro may
	 * name another model ({@code model_dir}) and a value only that model offers; the dialog keeps
	 * such a value instead of replacing it by the default, and the command checks it against the
	 * model it runs on.
	 */
	private static String[] withMacroValue(final DialogField field) {
		final List<String> choices = new ArrayList<>(field.choices());
		final String options = Macro.getOptions();
		final String value = options == null ? null : Macro.getValue(options, field.label(), null);
		if (value != null && !choices.contains(value)) choices.add(value);
		return choices.toArray(new String[0]);
	}

	private static void run(final LuminaCommands.Entry entry, final Map<String, Object> inputs) {
		final CommandModule module;
		try {
			module = BridgeContext.get().service(CommandService.class).run(entry.command(), true, inputs).get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (final ExecutionException e) {
			Throwable cause = e;
			while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
			IJ.error(entry.label(), String.valueOf(cause.getMessage()));
			IJ.log("Lumina-mGPT " + entry.label() + " failed: " + cause);
			return;
		}
		if (module.isCanceled()) {
			final String reason = module.getCancelReason();
			if (reason != null) IJ.log("Lumina-mGPT " + entry.label() + ": " + reason);
			return;
		}
		showOutputs(module);
	}

	/** Shows the output images and tables that are not shown yet (Fiji may have shown them). */
	private static void showOutputs(final CommandModule module) {
		for (final ModuleItem<?> item : module.getInfo().outputs()) {
			final Object value = item.getValue(module);
			if (value instanceof ImagePlus) {
				final ImagePlus imp = (ImagePlus) value;
				if (WindowManager.getImage(imp.getID()) == null) imp.show();
			}
			else if (value instanceof String && !((String) value).isEmpty()) {
				IJ.log("Lumina-mGPT " + module.getInfo().getTitle() + ": " + value);
			}
			else if (value instanceof ResultsTable) {
				final ResultsTable table = (ResultsTable) value;
				if (table.size() == 0) continue;
				final String title = table.getTitle();
				if (title == null && "table".equals(item.getName())) showAsResults(table);
				else table.show(title != null ? title : "Lumina-mGPT " + item.getName());
			}
		}
	}

	/**
	 * Copies {@code table} into ImageJ's system Results table, so that macros read it with
	 * {@code nResults}, {@code getResult} and {@code saveAs("Results", …)}.
	 */
	private static void showAsResults(final ResultsTable table) {
		final ResultsTable results = ResultsTable.getResultsTable();
		results.reset();
		final String[] headings = table.getHeadings();
		for (int row = 0; row < table.size(); row++) {
			results.incrementCounter();
			for (final String heading : headings) {
				if (heading.equals("Label") || heading.equals(" ")) continue;
				final double value = table.getValue(heading, row);
				if (Double.isNaN(value)) results.addValue(heading, table.getStringValue(heading, row));
				else results.addValue(heading, value);
			}
		}
		results.show("Results");
	}
}
