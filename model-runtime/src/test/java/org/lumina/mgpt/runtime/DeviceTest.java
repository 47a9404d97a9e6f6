package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link Device#parse}. */
class DeviceTest {

	@Test
	void parsesEveryAcceptedForm() {
		assertEquals(Device.AUTO, Device.parse("auto"));
		assertEquals(Device.CPU, Device.parse(" CPU "));
		assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("cuda"));
		assertEquals(new Device(Device.Kind.CUDA, 2), Device.parse("cuda:2"));
		assertEquals("cuda:2", Device.parse("cuda:2").toString());
	}

	@Test
	void rejectsOtherFormsNamingTheAcceptedOnes() {
		for (final String bad : new String[] { "gpu", "cuda:", "cuda:x", "cuda:-1" }) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
			assertTrue(e.getMessage().contains("auto, cpu, cuda or cuda:N") || e.getMessage().contains(">= 0"), e
				.getMessage());
		}
	}
}
