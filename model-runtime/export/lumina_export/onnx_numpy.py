"""A small numpy interpreter for the ONNX operators the exported graphs use.

There is no ONNX Runtime for Python on this project's machines; this lets the Python tests run
the exported ``decoder.onnx`` itself (not only the torch module it was traced from), so that a
mistake in the layer-by-layer assembly or the float16 conversion is caught here and not only by
the Java parity test. It is slow and meant for small test models only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Mapping, Optional

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

__all__ = ["run_model", "load_initializers", "UnsupportedOp"]


class UnsupportedOp(NotImplementedError):
    pass


_ONNX_TO_NP = {
    TensorProto.FLOAT: np.float32, TensorProto.FLOAT16: np.float16,
    TensorProto.DOUBLE: np.float64, TensorProto.INT64: np.int64, TensorProto.INT32: np.int32,
    TensorProto.BOOL: np.bool_, TensorProto.UINT8: np.uint8, TensorProto.INT8: np.int8,
}


def _tensor(t: TensorProto, base_dir: Optional[Path]) -> np.ndarray:
    if t.data_location == TensorProto.EXTERNAL:
        info = {e.key: e.value for e in t.external_data}
        path = (base_dir or Path(".")) / info["location"]
        dtype = _ONNX_TO_NP[t.data_type]
        count = int(np.prod(list(t.dims), dtype=np.int64))
        length = int(info.get("length", count * np.dtype(dtype).itemsize))
        raw = bytearray(length)
        with open(path, "rb") as f:
            f.seek(int(info.get("offset", 0)))
            if f.readinto(raw) != length:
                raise ValueError(f"{path}: truncated external data for {t.name}")
        return np.frombuffer(raw, dtype=dtype).reshape(list(t.dims))
    return numpy_helper.to_array(t)


def load_initializers(model_path) -> Dict[str, np.ndarray]:
    """All initializers of a model file, external data included, as numpy arrays."""
    model_path = Path(model_path)
    model = onnx.load(str(model_path), load_external_data=False)
    return {t.name: _tensor(t, model_path.parent) for t in model.graph.initializer}


def _attrs(node) -> dict:
    out = {}
    for a in node.attribute:
        out[a.name] = onnx.helper.get_attribute_value(a)
    return out


def _bcast_mm(a, b):
    return np.matmul(a, b)


def _layer_norm(x, scale, bias=None, axis=-1, epsilon=1e-5, stash_type=1):
    axis = axis if axis >= 0 else x.ndim + axis
    axes = tuple(range(axis, x.ndim))
    xf = x.astype(np.float32) if stash_type == 1 else x
    mean = xf.mean(axis=axes, keepdims=True)
    var = ((xf - mean) ** 2).mean(axis=axes, keepdims=True)
    y = ((xf - mean) / np.sqrt(var + np.float32(epsilon))).astype(x.dtype)
    y = y * scale
    if bias is not None:
        y = y + bias
    return y


def _softmax(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=True)


def _slice(data, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps]
    sl = [slice(None)] * data.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = a if a >= 0 else data.ndim + a
        dim = data.shape[a]
        s, e = int(s), int(e)
        s = max(min(s + dim if s < 0 else s, dim), 0)
        e = max(min(e + dim if e < 0 else e, dim), 0) if st > 0 else e
        sl[a] = slice(s, e, st)
    return data[tuple(sl)]


def _reshape(data, shape, allowzero=0):
    shape = [int(s) for s in shape]
    if not allowzero:
        shape = [data.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return data.reshape(shape)


def _group_query_attention(ins, num_heads: int):
    """ONNX Runtime's CPU kernel without rotary (equal q and kv heads): row ``b`` writes its S
    new keys/values at ``seqlens_k[b] + 1 - S`` of the cache buffer (at 0 when S equals
    total_sequence_length) and attends causally to its first ``seqlens_k[b] + 1`` positions.
    Returns the output and the updated buffers (copies: numpy has no aliasing to show)."""
    query, key, value, past_key, past_value, seqlens_k, total = ins[:7]
    bsz, seq, width = query.shape
    d = width // num_heads
    first_prompt = seq == int(total)
    capacity = max(past_key.shape[2], int(total))
    present = []
    for past in (past_key, past_value):
        buf = np.zeros((bsz, num_heads, capacity, d), past.dtype)
        buf[:, :, :past.shape[2]] = past
        present.append(buf)
    heads = [t.reshape(bsz, seq, num_heads, d).transpose(0, 2, 1, 3) for t in (query, key, value)]
    q, k, v = heads
    out = np.zeros_like(q)
    for b in range(bsz):
        length = int(seqlens_k[b]) + 1
        start = 0 if first_prompt else length - seq
        present[0][b, :, start:start + seq] = k[b]
        present[1][b, :, start:start + seq] = v[b]
        scores = q[b] @ present[0][b, :, :length].transpose(0, 2, 1) / np.sqrt(d)
        visible = np.arange(length)[None, :] <= (np.arange(seq) + start)[:, None]
        scores = np.where(visible, scores, np.finfo(np.float32).min)
        out[b] = _softmax(scores.astype(np.float32)).astype(q.dtype) @ present[1][b, :, :length]
    return [out.transpose(0, 2, 1, 3).reshape(bsz, seq, width), present[0], present[1]]


def _op(node, ins: List[Optional[np.ndarray]]):
    op = node.op_type
    a = _attrs(node)
    x = ins[0] if ins else None
    if op == "Identity":
        return [x]
    if op == "Constant":
        return [numpy_helper.to_array(a["value"])]
    if op == "Cast":
        return [x.astype(_ONNX_TO_NP[a["to"]])]
    if op in ("Add", "Sub", "Mul", "Div", "Pow"):
        y = ins[1]
        if op == "Add":
            r = x + y
        elif op == "Sub":
            r = x - y
        elif op == "Mul":
            r = x * y
        elif op == "Div":
            r = x // y if np.issubdtype(x.dtype, np.integer) else x / y
        else:
            r = np.power(x, y)
        return [r.astype(x.dtype)]
    if op == "Sqrt":
        return [np.sqrt(x)]
    if op == "Reciprocal":
        return [(1 / x).astype(x.dtype)]
    if op == "Neg":
        return [-x]
    if op == "Sigmoid":
        return [(1 / (1 + np.exp(-x))).astype(x.dtype)]
    if op == "Cos":
        return [np.cos(x)]
    if op == "Sin":
        return [np.sin(x)]
    if op == "Not":
        return [np.logical_not(x)]
    if op == "And":
        return [np.logical_and(x, ins[1])]
    if op in ("Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"):
        f = {"Equal": np.equal, "Less": np.less, "LessOrEqual": np.less_equal,
             "Greater": np.greater, "GreaterOrEqual": np.greater_equal}[op]
        return [f(x, ins[1])]
    if op == "Where":
        return [np.where(x, ins[1], ins[2])]
    if op == "Min":
        r = ins[0]
        for y in ins[1:]:
            r = np.minimum(r, y)
        return [r]
    if op == "Max":
        r = ins[0]
        for y in ins[1:]:
            r = np.maximum(r, y)
        return [r]
    if op == "MatMul":
        return [_bcast_mm(x, ins[1]).astype(np.result_type(x, ins[1]))]
    if op == "Shape":
        return [np.array(x.shape, dtype=np.int64)]
    if op == "Gather":
        return [np.take(x, ins[1].astype(np.int64), axis=a.get("axis", 0))]
    if op == "Unsqueeze":
        r = x
        axes = sorted(int(v) if v >= 0 else int(v) + x.ndim + len(ins[1]) for v in ins[1])
        for ax in axes:
            r = np.expand_dims(r, ax)
        return [r]
    if op == "Squeeze":
        if len(ins) > 1 and ins[1] is not None:
            return [np.squeeze(x, axis=tuple(int(v) for v in ins[1]))]
        return [np.squeeze(x)]
    if op == "Concat":
        return [np.concatenate(ins, axis=a["axis"])]
    if op == "Reshape":
        return [_reshape(x, ins[1], a.get("allowzero", 0))]
    if op == "Transpose":
        return [np.transpose(x, a.get("perm"))]
    if op == "Expand":
        shape = tuple(int(s) for s in ins[1])
        out_shape = np.broadcast_shapes(x.shape, shape)
        return [np.broadcast_to(x, out_shape).copy()]
    if op == "ConstantOfShape":
        v = a.get("value")
        val = numpy_helper.to_array(v) if v is not None else np.zeros(1, np.float32)
        return [np.full(tuple(int(s) for s in x), val.reshape(-1)[0], dtype=val.dtype)]
    if op == "Range":
        return [np.arange(x, ins[1], ins[2]).astype(x.dtype)]
    if op == "Slice":
        return [_slice(x, ins[1], ins[2], ins[3] if len(ins) > 3 else None,
                       ins[4] if len(ins) > 4 else None)]
    if op == "ReduceMean":
        axes = a.get("axes")
        if axes is None and len(ins) > 1:
            axes = ins[1]
        axes = tuple(int(v) for v in axes) if axes is not None else None
        return [x.mean(axis=axes, keepdims=bool(a.get("keepdims", 1))).astype(x.dtype)]
    if op == "Softmax":
        xf = x.astype(np.float32) if x.dtype == np.float16 else x
        return [_softmax(xf, a.get("axis", -1)).astype(x.dtype)]
    if op == "LayerNormalization":
        return [_layer_norm(x, ins[1], ins[2] if len(ins) > 2 else None, a.get("axis", -1),
                            a.get("epsilon", 1e-5), a.get("stash_type", 1))]
    if op == "MatMulNBits":  # com.microsoft, 4-bit weights (lumina_export.int4)
        from .int4 import dequantize
        weight = dequantize(ins[1], ins[2], ins[3], a["K"]).astype(x.dtype)
        return [np.matmul(x, weight.T)]
    if op == "GroupQueryAttention":  # com.microsoft, the shared_buffer KV layout
        return _group_query_attention(ins, a["num_heads"])
    if op == "Erf":
        from math import erf
        return [np.vectorize(erf)(x).astype(x.dtype)]
    raise UnsupportedOp(op)


def run_model(model, feeds: Mapping[str, np.ndarray],
              initializers: Optional[Mapping[str, np.ndarray]] = None,
              base_dir: Optional[Path] = None,
              outputs: Optional[List[str]] = None) -> Dict[str, np.ndarray]:
    """Runs ``model`` (a ModelProto or a path) on ``feeds``; returns the graph outputs."""
    if not isinstance(model, onnx.ModelProto):
        base_dir = Path(model).parent
        model = onnx.load(str(model), load_external_data=False)
    env: Dict[str, np.ndarray] = {}
    if initializers is None:
        initializers = {t.name: _tensor(t, base_dir) for t in model.graph.initializer}
    env.update(initializers)
    for i in model.graph.input:
        if i.name in feeds:
            env[i.name] = np.asarray(feeds[i.name])
        elif i.name not in env:
            raise KeyError(f"missing input {i.name}")
    for node in model.graph.node:
        ins = [env[n] if n else None for n in node.input]
        try:
            res = _op(node, ins)
        except UnsupportedOp:
            raise
        except Exception as e:  # name the node that failed
            shapes = [None if v is None else (v.dtype, v.shape) for v in ins]
            raise RuntimeError(f"{node.op_type} node {node.name} failed on {shapes}: {e}") from e
        for name, val in zip(node.output, res):
            if name:
                env[name] = val
    names = outputs or [o.name for o in model.graph.output]
    return {n: env[n] for n in names}
