package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.ModelException;

/** Device selection: {@code auto} falls back to the CPU and says why; {@code cuda} never silently does. */
class OrtSessionsTest {

	@Test
	void cpuRunsOnTheCpu() {
		final OrtSessions sessions = new OrtSessions(Device.CPU, 1);
		assertFalse(sessions.usesCuda());
		assertTrue(sessions.providerReport().contains("CPU"), sessions.providerReport());
	}

	@Test
	void autoWithoutCudaFallsBackToTheCpuAndSaysWhy() {
		final OrtSessions sessions = new OrtSessions(Device.AUTO, 0);
		assumeFalse(sessions.usesCuda(), "this machine runs CUDA");
		assertTrue(sessions.providerReport().startsWith("ONNX Runtime runs on the CPU (CUDA is not available"),
			sessions.providerReport());
	}

	@Test
	void explicitCudaWithoutCudaIsAnErrorThatNamesTheFix() {
		assumeFalse(new OrtSessions(Device.AUTO, 0).usesCuda(), "this machine runs CUDA");
		final ModelException e = assertThrows(ModelException.class, () -> new OrtSessions(Device.parse("cuda:0"), 0));
		assertTrue(e.getMessage().contains("device cuda:0 cannot be used") && e.getMessage().contains("-Pcuda") &&
			e.getMessage().contains("choose device cpu or auto"), e.getMessage());
	}

	@Test
	void negativeThreadCountIsRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrtSessions(Device.CPU,
			-1));
		assertTrue(e.getMessage().contains("got -1"), e.getMessage());
	}
}
