"""Weights stored as float16 in a float32 graph (``--weights float16_stored``).

A stored weight ``W`` becomes the float16 initializer ``W.float16`` and a ``Cast`` to float32
named after ``W``, placed before every other node. ONNX Runtime folds those casts into float32
constants when it creates the session, so the graph computes in float32 at float32 speed (CPUs
are slow at float16 arithmetic) while its files are half the size. The graph's inputs and
outputs do not change. Rounding to float16 loses nothing for weights that were trained or saved
in float16 (the project's small trained model); for others it is the rounding an fp16 bundle has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

__all__ = ["SUFFIX", "MIN_ELEMENTS", "stored_name", "cast_node", "store_graph_weights",
           "unfold"]

SUFFIX = ".float16"
# Small tensors (norm scales, biases, shape constants) stay float32: they save nothing.
MIN_ELEMENTS = 1024


def stored_name(name: str) -> str:
    """The float16 initializer that holds weight ``name``."""
    return name + SUFFIX


def cast_node(name: str) -> onnx.NodeProto:
    """The node that turns the stored float16 weight back into the float32 tensor ``name``."""
    return helper.make_node("Cast", [stored_name(name)], [name], name=f"{name}/cast_to_float32",
                            to=TensorProto.FLOAT)


def store_graph_weights(onnx_path) -> int:
    """Rewrites a graph file whose weights are embedded (the VQ graphs) with every float32
    initializer of at least :data:`MIN_ELEMENTS` values stored as float16; returns how many."""
    onnx_path = Path(onnx_path)
    model = onnx.load(str(onnx_path))
    graph = model.graph
    if any(t.data_location == TensorProto.EXTERNAL for t in graph.initializer):
        raise ValueError(f"{onnx_path}: weights in an external file are stored by the writer "
                         "that streams them (onnx_assembly), not rewritten here")
    casts = []
    for t in graph.initializer:
        if t.data_type != TensorProto.FLOAT or int(np.prod(t.dims)) < MIN_ELEMENTS:
            continue
        name = t.name
        t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float16),
                                           stored_name(name)))
        casts.append(cast_node(name))
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(onnx_path))
    return len(casts)


def unfold(state: Dict[str, np.ndarray], graph: onnx.GraphProto) -> Dict[str, np.ndarray]:
    """Replaces, in a name -> array map of a graph's initializers, every stored float16 weight
    by the float32 tensor its cast produces (what the graph computes with)."""
    for node in graph.node:
        if node.op_type == "Cast" and node.input and node.input[0].endswith(SUFFIX) \
                and node.input[0] in state:
            state[node.output[0]] = state.pop(node.input[0]).astype(np.float32)
    return state
