/**
 * The SciJava commands of Plugins &gt; Lumina-mGPT: one per task of
 * {@link org.lumina.mgpt.runtime.task.TaskCatalog}, plus Settings and Model Manager. Their field
 * names are the macro keys (API: rename with care). Commands build a
 * {@link org.lumina.mgpt.plugin.core.TaskRequest}, run it with the shared model of
 * {@link org.lumina.mgpt.plugin.service.LuminaModelService}, and hand back the result as
 * {@code ItemIO.OUTPUT} fields; they show nothing themselves (the ImageJ 1 bridge or Fiji does),
 * except boxes in the ROI Manager and text in the Log when a GUI is present.
 * <p>
 * Left out on purpose: SciJava menu paths (the menus come from {@code plugins.config}, so Fiji
 * shows each entry once), and choices of {@code size} in SciJava's own dialogs (they depend on
 * the model; the ImageJ 1 dialog lists them through {@link DialogHints}).
 */
package org.lumina.mgpt.plugin.command;
