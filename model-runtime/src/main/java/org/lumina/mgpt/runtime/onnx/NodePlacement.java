package org.lumina.mgpt.runtime.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which execution provider ran each node of a graph, read from one profiled run: ONNX Runtime
 * may place nodes that CUDA cannot run on the CPU inside a CUDA session, silently, and each such
 * node moves its tensors across PCIe. The profile (a JSON array of trace events) names, per node
 * event, its op type and provider.
 *
 * @param nodes distinct nodes that ran
 * @param cpuNodes those that ran on the CPU provider
 * @param cpuOpTypes the op types of the CPU nodes
 */
public record NodePlacement(int nodes, int cpuNodes, Set<String> cpuOpTypes) {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String CPU = "CPUExecutionProvider";

	public NodePlacement {
		cpuOpTypes = Collections.unmodifiableSortedSet(new TreeSet<>(cpuOpTypes)); // NB: sorted, for a stable log line
	}

	/** @return the placement recorded in an ONNX Runtime profile file */
	public static NodePlacement fromProfile(final Path profile) throws IOException {
		final Set<String> all = new TreeSet<>();
		final Set<String> onCpu = new TreeSet<>();
		final Set<String> cpuOps = new TreeSet<>();
		for (final JsonNode event : JSON.readTree(profile.toFile())) {
			final JsonNode args = event.path("args");
			if (!"Node".equals(event.path("cat").asText()) || !args.has("provider")) continue;
			final String node = event.path("name").asText().replaceFirst("_(kernel_time|fence_before|fence_after)$", "");
			all.add(node);
			if (CPU.equals(args.path("provider").asText())) {
				onCpu.add(node);
				cpuOps.add(args.path("op_name").asText());
			}
		}
		return new NodePlacement(all.size(), onCpu.size(), cpuOps);
	}

	/** @return e.g. {@code "3 of 412 decoder nodes run on the CPU (Gather, Shape)"}, for the log */
	public String describe(final String graph) {
		if (cpuNodes == 0) return "all " + nodes + " " + graph + " nodes run on the GPU";
		return cpuNodes + " of " + nodes + " " + graph + " nodes run on the CPU " + cpuOpTypes.toString().replace('[',
			'(').replace(']', ')') + "; each moves its tensors between host and GPU (strict device placement, " +
			"--strict-device, turns this into an error)";
	}
}
