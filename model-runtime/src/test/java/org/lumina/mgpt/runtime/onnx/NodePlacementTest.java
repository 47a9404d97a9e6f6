package org.lumina.mgpt.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lumina.mgpt.runtime.Device;
import org.lumina.mgpt.runtime.TestBundles;
import org.lumina.mgpt.runtime.bundle.KvLayout;

/** Tests {@link NodePlacement} on a real profiled decoder step and on a CUDA-like profile. */
class NodePlacementTest {

	@TempDir
	Path dir;

	/** The flow CUDA uses, on the CPU: every node ran on the CPU provider, and the profile is gone. */
	@Test
	void aProfiledStepTellsWhereEveryNodeRan() throws IOException {
		final OrtSessions sessions = new OrtSessions(Device.CPU, 1);
		final Path tiny = TestBundles.tiny();
		final long before = placementFiles();
		try (OrtDecoderModel decoder = new OrtDecoderModel(sessions, tiny, tiny.resolve("decoder.onnx"),
			new OrtDecoderModel.Shape(2, 4, 16, 9216, false, true, KvLayout.CONCAT), true))
		{
			final NodePlacement placement = decoder.placement().orElseThrow();
			assertTrue(placement.nodes() > 20, placement.toString());
			assertEquals(placement.nodes(), placement.cpuNodes());
			assertTrue(placement.cpuOpTypes().contains("MatMul"), placement.toString());
			assertEquals(Optional.of(placement), decoder.placement(), "profiled once");
		}
		assertEquals(before, placementFiles(), "the profile file is deleted");
	}

	@Test
	void nodesOnTheCpuInsideACudaSessionAreCountedByOpType() throws IOException {
		final Path profile = Files.writeString(dir.resolve("profile.json"), """
			[{"cat":"Session","name":"model_run","args":{}},
			 {"cat":"Node","name":"MatMul_1_kernel_time","args":{"op_name":"MatMul","provider":"CUDAExecutionProvider"}},
			 {"cat":"Node","name":"MatMul_1_fence_before","args":{"op_name":"MatMul","provider":"CUDAExecutionProvider"}},
			 {"cat":"Node","name":"Shape_2_kernel_time","args":{"op_name":"Shape","provider":"CPUExecutionProvider"}},
			 {"cat":"Node","name":"Gather_3_kernel_time","args":{"op_name":"Gather","provider":"CPUExecutionProvider"}}]
			""");
		final NodePlacement placement = NodePlacement.fromProfile(profile);
		assertEquals(new NodePlacement(3, 2, Set.of("Gather", "Shape")), placement);
		assertEquals("2 of 3 decoder nodes run on the CPU (Gather, Shape); each moves its tensors between host and " +
			"GPU (strict device placement, --strict-device, turns this into an error)", placement.describe("decoder"));
		assertEquals("all 5 decoder nodes run on the GPU", new NodePlacement(5, 0, Set.of()).describe("decoder"));
	}

	private static long placementFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter(p -> p.getFileName().toString().startsWith("lumina-placement-")).count();
		}
	}
}
