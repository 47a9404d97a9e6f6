package org.lumina.mgpt.runtime;

import java.lang.management.ManagementFactory;

/** The memory this machine has free now, for {@link MemoryEstimate#requireFits}. */
final class HostMemory {

	private HostMemory() {}

	/**
	 * @return free physical memory in bytes (memory the OS can hand out without swapping, where
	 *         the platform tells it), or {@link Long#MAX_VALUE} when it cannot be read
	 */
	static long available() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.max(os.getFreeMemorySize(), availableFromProc());
		}
		return Long.MAX_VALUE;
	}

	/** NB: on Linux "free" excludes the page cache, which the OS gives back; MemAvailable counts it. */
	private static long availableFromProc() {
		try {
			for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemAvailable:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (final java.io.IOException | RuntimeException e) {
			// not Linux, or unreadable: rely on the MXBean's figure
		}
		return 0;
	}
}
