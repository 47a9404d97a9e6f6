package org.lumina.mgpt.runtime.bundle;

/**
 * Facts about the exported decoder graph ({@code decoder} in the manifest). The runtime
 * cross-checks them against the ONNX session's inputs and outputs.
 *
 * @param numLayers transformer layers, i.e. pairs of {@code past_key_values.{i}.key|value}
 * @param numHeads attention heads (= KV heads: Chameleon has no grouped-query attention)
 * @param headDim size of one head
 * @param hiddenSize model width, {@code numHeads * headDim}
 * @param vocabSize length of a logits row
 * @param maxPositions advisory context length (the reference generates past it: warn, do not cut)
 * @param dtype weight type of the graph, e.g. {@code float32}, {@code float16}
 * @param weights how the weights are stored: all in {@code dtype}, or the linear ones as 4-bit blocks
 * @param kvDtype element type of the KV-cache tensors: {@code float32} or {@code float16}
 * @param hasNumLogitsToKeep whether the graph has the optional {@code num_logits_to_keep} input
 * @param kvLayout how the graph keeps the KV cache, which decides its cache inputs and outputs
 */
public record DecoderSpec(int numLayers, int numHeads, int headDim, int hiddenSize, int vocabSize, int maxPositions,
	String dtype, WeightFormat weights, String kvDtype, boolean hasNumLogitsToKeep, KvLayout kvLayout)
{}
