/**
 * Showing results the ImageJ way: lookup tables ({@link org.lumina.mgpt.plugin.display.Luts}),
 * provenance in image Info and properties ({@link org.lumina.mgpt.plugin.display.ProvenanceWriter})
 * and RGB renderings for overlay layers ({@link org.lumina.mgpt.plugin.display.LayerRenderer}).
 * Nothing here needs a display.
 */
package org.lumina.mgpt.plugin.display;
