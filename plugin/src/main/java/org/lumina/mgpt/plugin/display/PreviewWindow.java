package org.lumina.mgpt.plugin.display;

import java.awt.EventQueue;

import org.lumina.mgpt.plugin.core.LivePreview;

import ij.ImagePlus;
import ij.process.ColorProcessor;

/** The GUI's live preview: one window, updated in place, closed when the generation ends. */
public final class PreviewWindow implements LivePreview.Frames {

	private final String title;
	private ImagePlus window; // NB: touched on the event dispatch thread only

	/** @param title the title of the result the preview stands for */
	public PreviewWindow(final String title) {
		this.title = title;
	}

	@Override
	public void show(final ColorProcessor frame, final int rowsDone, final int rowsTotal) {
		final String caption = title + " (preview, row " + rowsDone + " of " + rowsTotal + ")";
		EventQueue.invokeLater(() -> {
			if (window == null) {
				window = new ImagePlus(caption, frame);
				window.show();
			}
			else {
				window.setProcessor(frame);
				window.setTitle(caption);
			}
		});
	}

	@Override
	public void close() {
		EventQueue.invokeLater(() -> {
			if (window == null) return;
			window.changes = false;
			window.close();
		});
	}
}
