package org.lumina.mgpt.plugin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.plugin.display.ProvenanceWriter;

/** Tests {@link ProvenanceInfo}: the Info of a saved TIFF read back and compared. */
class ProvenanceInfoTest {

	@TempDir
	Path temp;

	/** {@link ProvenanceInfo#read} gets what {@link ProvenanceWriter} wrote, line breaks in values escaped. */
	@Test
	void readsBackTheInfoOfATiff() {
		final Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("task", "condition");
		provenance.put("prompt", "Generate an image:\nround cells <|image|>");
		provenance.put("preprocess", "type=16-bit; channels=1,1,1");
		final ImagePlus image = IJ.createImage("x", "8-bit black", 8, 8, 1);
		ProvenanceWriter.write(image, provenance);
		ProvenanceInfo.add(image, "input_sha256", "abc");
		final Path file = temp.resolve("x.tif");
		IJ.saveAsTiff(image, file.toString());
		final Map<String, String> read = ProvenanceInfo.read(file);
		assertEquals("type=16-bit; channels=1,1,1", read.get("preprocess"));
		assertEquals("abc", read.get("input_sha256"));
		assertEquals("abc", image.getProp("lumina.input_sha256"));
		assertNull(ProvenanceInfo.difference(provenance, read));
		provenance.put("seed", "1");
		assertEquals("seed (was null, now 1)", ProvenanceInfo.difference(provenance, read));
	}

	/** A missing or unreadable file has no provenance (its input is redone, not failed). */
	@Test
	void unreadableFilesHaveNone() throws IOException {
		assertTrue(ProvenanceInfo.read(temp.resolve("missing.tif")).isEmpty());
		final Path junk = Files.writeString(temp.resolve("junk.tif"), "junk");
		assertTrue(ProvenanceInfo.read(junk).isEmpty());
	}
}
