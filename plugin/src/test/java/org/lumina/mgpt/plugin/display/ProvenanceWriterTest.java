package org.lumina.mgpt.plugin.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import ij.ImagePlus;
import ij.process.ByteProcessor;

import org.junit.jupiter.api.Test;

class ProvenanceWriterTest {

	/** {@link ProvenanceWriter#write}: key=value Info lines (line breaks escaped) and lumina.* properties. */
	@Test
	void infoAndProperties() {
		final Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("task", "t2i");
		provenance.put("prompt", "Generate an image of 512x512 according to the following prompt:\na cat");
		final ImagePlus image = new ImagePlus("x", new ByteProcessor(4, 4));
		ProvenanceWriter.write(image, provenance);
		assertEquals("task=t2i\nprompt=Generate an image of 512x512 according to the following prompt:\\na cat\n", image
			.getInfoProperty());
		assertEquals("t2i", image.getProp("lumina.task"));
		assertEquals(provenance.get("prompt"), image.getProp("lumina.prompt"));
	}
}
