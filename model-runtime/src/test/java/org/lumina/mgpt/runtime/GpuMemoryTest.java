package org.lumina.mgpt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** Tests {@link GpuMemory}'s reading of nvidia-smi. */
class GpuMemoryTest {

	/** What {@link GpuMemory#COMMAND} printed on an H200 (driver 580). */
	private static final String H200 = "0, 143156, 143771\n";

	@Test
	void freeMemoryOfTheAskedGpuIsRead() {
		assertEquals(OptionalLong.of(143156L * 1024 * 1024), GpuMemory.parseFree(H200, 0));
		final String two = "0, 1000, 24576\r\n1, 20000, 24576\r\n";
		assertEquals(OptionalLong.of(20000L << 20), GpuMemory.parseFree(two, 1));
	}

	@Test
	void aMissingGpuOrAnUnreadableFigureGivesNothing() {
		assertEquals(OptionalLong.empty(), GpuMemory.parseFree(H200, 1));
		assertEquals(OptionalLong.empty(), GpuMemory.parseFree("0, [N/A], [N/A]\n", 0));
		assertEquals(OptionalLong.empty(), GpuMemory.parseFree("NVIDIA-SMI has failed because it couldn't " +
			"communicate with the NVIDIA driver.", 0));
	}
}
