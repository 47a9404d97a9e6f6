"""Builds ``decoder.onnx`` layer by layer, streaming the weights into ``decoder.onnx.data``.

The full model is never traced and never held in memory:

1. three pieces of :mod:`lumina_export.decoder` are traced with the TorchScript exporter
   (opset 17, no constant folding, parameters as graph inputs so that no weight data enters the
   trace): the prologue (embedding Gather, attention bias, rotary tables), ONE decoder layer at
   its real shape, and the epilogue (last ``num_logits_to_keep`` positions, final RMSNorm,
   lm_head, float32 logits);
2. the graph is assembled from copies of those templates with renamed tensors (one layer copy
   per layer), the parameter inputs turned into initializers with the Hugging Face names;
3. each weight is read from the checkpoint, converted (layout, dtype) and appended to the
   external data file, one tensor at a time; its SHA-256 is computed while writing. With 4-bit
   weights (:mod:`.int4`) the linear ones are quantized instead and their ``MatMul`` nodes
   become ``com.microsoft.MatMulNBits``.

float16: torch 1.13 cannot run float16 on the CPU, so the templates are traced in bfloat16
(which it can run, with the same casts a float16 model has: float32 RMSNorm, rotary tables and
softmax) and every BFLOAT16 element type, Cast target and constant is then switched to FLOAT16.
The ``logits`` output stays float32 (the epilogue ends with a Cast).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import io
import sys
import time
import warnings
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper

from . import decoder as dec
from . import float16_storage, int4
from .bundle import sha256_file
from .checkpoint import WeightSource, bf16_bits_to_f32

__all__ = [
    "OPSET",
    "IR_VERSION",
    "Templates",
    "trace_templates",
    "ExternalDataWriter",
    "DecoderExport",
    "export_decoder",
    "hf_weight_names",
    "expected_hf_shapes",
]

OPSET = 17
IR_VERSION = 8  # what onnx 1.12 writes; ONNX Runtime >= 1.14 reads it
DATA_ALIGN = 64  # every tensor starts 64-byte aligned ...
DATA_ALIGN_LARGE = 65536  # ... and tensors >= 1 MiB at 64 KiB (memory-mapping granularity)
LARGE = 1 << 20

_NP_TO_ONNX = {np.dtype("float32"): TensorProto.FLOAT, np.dtype("float16"): TensorProto.FLOAT16,
               np.dtype("uint8"): TensorProto.UINT8}


# ---------------------------------------------------------------------------------------------
# Tracing
# ---------------------------------------------------------------------------------------------

def _export_kwargs() -> dict:
    kw = {}
    params = inspect.signature(torch.onnx.export).parameters
    if "dynamo" in params:  # torch >= 2.5: use the TorchScript exporter
        kw["dynamo"] = False
    return kw


def trace_graph(module: torch.nn.Module, args: tuple, input_names: Sequence[str],
                output_names: Sequence[str], dynamic_axes: Mapping) -> onnx.GraphProto:
    """Traces ``module`` to an ONNX graph whose parameters are graph inputs named by their
    state-dict names (no weight data in the result)."""
    with torch.no_grad():
        # Distinct values: the exporter merges parameters with equal contents.
        for i, p in enumerate(module.parameters()):
            p.fill_(float(i + 1))
    buf = io.BytesIO()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, buf, opset_version=OPSET, do_constant_folding=False,
                          export_params=False, input_names=list(input_names),
                          output_names=list(output_names), dynamic_axes=dict(dynamic_axes),
                          **_export_kwargs())
    model = onnx.load_from_string(buf.getvalue())
    graph = model.graph
    names = {n for n, _ in module.named_parameters()}
    got = {i.name for i in graph.input}
    lost = names - got
    if lost:
        raise RuntimeError(f"the traced graph lost parameters {sorted(lost)}")
    for node in graph.node:
        for a in node.attribute:
            if a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                raise RuntimeError(f"unexpected subgraph in traced node {node.name}")
        node.doc_string = ""
    return graph


@dataclasses.dataclass
class Templates:
    prologue: onnx.GraphProto
    layer: onnx.GraphProto
    epilogue: onnx.GraphProto
    trace_dtype: torch.dtype
    prologue_params: Dict[str, str]  # template parameter name -> HF name
    epilogue_params: Dict[str, str]
    layer_params: List[str]  # relative to model.layers.{i}.


PROLOGUE_INPUTS = ("input_ids", "attention_mask", "position_ids")
PROLOGUE_OUTPUTS = ("hidden", "attention_bias", "cos", "sin")
LAYER_INPUTS = ("hidden", "attention_bias", "cos", "sin", "past_key", "past_value")
LAYER_OUTPUTS = ("hidden_out", "present_key", "present_value")
EPILOGUE_INPUTS = ("hidden", "num_logits_to_keep")
EPILOGUE_OUTPUTS = ("logits",)
# the shared_buffer layout: no attention mask; the fused attention takes the row lengths instead
SHARED_PROLOGUE_INPUTS = ("input_ids", "position_ids")
SHARED_PROLOGUE_OUTPUTS = ("hidden", "cos", "sin")
SHARED_LAYER_INPUTS = ("hidden", "cos", "sin", "past_key", "past_value", "seqlens_k",
                       "total_sequence_length")


def trace_templates(cfg: dec.DecoderConfig, trace_dtype: torch.dtype = torch.float32,
                    trace_vocab: int = 16, kv_layout: str = "concat") -> Templates:
    """Traces prologue, one layer (at its real shape) and epilogue for ``kv_layout``.

    The prologue and epilogue are traced with a ``trace_vocab``-row embedding / lm_head: no
    node of theirs depends on the vocabulary size, and the real (vocab x hidden) weights would
    cost gigabytes for nothing."""
    B, S, P = 2, 3, 5
    H, D = cfg.num_heads, cfg.head_dim
    shared = kv_layout == "shared_buffer"
    torch.manual_seed(0)

    pro = (dec.SharedBufferPrologue if shared else dec.Prologue)(
        cfg, vocab_size=trace_vocab).to(trace_dtype).eval()
    ids = torch.randint(0, trace_vocab, (B, S))
    positions = torch.arange(P, P + S).unsqueeze(0).repeat(B, 1)
    if shared:
        prologue = trace_graph(
            pro, (ids, positions), SHARED_PROLOGUE_INPUTS, SHARED_PROLOGUE_OUTPUTS,
            {"input_ids": {0: "batch", 1: "sequence"}, "position_ids": {0: "batch", 1: "sequence"}})
    else:
        prologue = trace_graph(
            pro, (ids, torch.ones(B, P + S, dtype=torch.int64), positions), PROLOGUE_INPUTS,
            PROLOGUE_OUTPUTS,
            {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
             "position_ids": {0: "batch", 1: "sequence"}})
    del pro

    layer = (dec.SharedBufferDecoderLayer if shared else dec.DecoderLayer)(cfg).to(
        trace_dtype).eval()
    hidden = torch.zeros(B, S, cfg.hidden_size, dtype=trace_dtype)
    cos = torch.ones(B, 1, S, D, dtype=trace_dtype)
    sin = torch.zeros(B, 1, S, D, dtype=trace_dtype)
    rope_axes = {"cos": {0: "batch", 2: "sequence"}, "sin": {0: "batch", 2: "sequence"}}
    if shared:
        capacity = P + S
        cache = torch.zeros(B, H, capacity, D, dtype=trace_dtype)
        layer_graph = trace_graph(
            layer, (hidden, cos, sin, cache, cache.clone(),
                    torch.full((B,), P + S - 1, dtype=torch.int32),
                    torch.tensor(P + S, dtype=torch.int32)),
            SHARED_LAYER_INPUTS, LAYER_OUTPUTS,
            {"hidden": {0: "batch", 1: "sequence"}, **rope_axes,
             "past_key": {0: "batch", 2: "capacity"}, "past_value": {0: "batch", 2: "capacity"},
             "seqlens_k": {0: "batch"}})
    else:
        layer_graph = trace_graph(
            layer, (hidden, torch.zeros(B, 1, S, P + S, dtype=torch.float32), cos, sin,
                    torch.zeros(B, H, P, D, dtype=trace_dtype),
                    torch.zeros(B, H, P, D, dtype=trace_dtype)),
            LAYER_INPUTS, LAYER_OUTPUTS,
            {"hidden": {0: "batch", 1: "sequence"},
             "attention_bias": {0: "batch", 2: "sequence", 3: "total"}, **rope_axes,
             "past_key": {0: "batch", 2: "past"}, "past_value": {0: "batch", 2: "past"}})
    layer_params = [n for n, _ in layer.named_parameters()]
    del layer

    epi = dec.Epilogue(cfg, vocab_size=trace_vocab).to(trace_dtype).eval()
    epi_args = (torch.zeros(B, S, cfg.hidden_size, dtype=trace_dtype),
                torch.tensor(1, dtype=torch.int64))
    epilogue = trace_graph(epi, epi_args, EPILOGUE_INPUTS, EPILOGUE_OUTPUTS,
                           {"hidden": {0: "batch", 1: "sequence"}})
    del epi

    expected = dec.layer_param_names(cfg)
    if sorted(layer_params) != sorted(expected):
        raise RuntimeError(f"layer parameters {layer_params} != {expected}")
    return Templates(prologue, layer_graph, epilogue, trace_dtype,
                     {"embed_tokens.weight": "model.embed_tokens.weight"},
                     {"norm.weight": "model.norm.weight", "lm_head.weight": "lm_head.weight"},
                     expected)


# ---------------------------------------------------------------------------------------------
# bfloat16 -> float16
# ---------------------------------------------------------------------------------------------

def _tensor_bf16_to_f16(t: TensorProto) -> None:
    if t.data_type != TensorProto.BFLOAT16:
        return
    if t.raw_data:
        bits = np.frombuffer(t.raw_data, dtype="<u2")
    else:
        bits = np.asarray(t.int32_data, dtype=np.uint32).astype(np.uint16)
    f32 = bf16_bits_to_f32(bits)
    f16 = f32.astype(np.float16)
    if not np.array_equal(np.isfinite(f16), np.isfinite(f32)):
        raise ValueError(f"constant {t.name or '(unnamed)'} does not fit float16")
    del t.int32_data[:]
    t.raw_data = f16.tobytes()
    t.data_type = TensorProto.FLOAT16


def graph_bf16_to_f16(graph: onnx.GraphProto) -> int:
    """Switches every bfloat16 type in a traced template to float16; returns the count."""
    count = 0
    for t in graph.initializer:
        if t.data_type == TensorProto.BFLOAT16:
            _tensor_bf16_to_f16(t)
            count += 1
    for node in graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == TensorProto.BFLOAT16:
                _tensor_bf16_to_f16(a.t)
                count += 1
            elif a.type == onnx.AttributeProto.INT and a.name in ("to", "dtype") \
                    and a.i == TensorProto.BFLOAT16:
                a.i = TensorProto.FLOAT16
                count += 1
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        tt = vi.type.tensor_type
        if tt.elem_type == TensorProto.BFLOAT16:
            tt.elem_type = TensorProto.FLOAT16
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# External data
# ---------------------------------------------------------------------------------------------

class ExternalDataWriter:
    """Appends tensors to one external data file, hashing it on the way."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.location = self.path.name
        self._f = open(self.path, "wb")
        self._sha = hashlib.sha256()
        self.offset = 0
        self.count = 0

    def _pad_to(self, align: int) -> None:
        pad = (-self.offset) % align
        if pad:
            z = b"\0" * pad
            self._f.write(z)
            self._sha.update(z)
            self.offset += pad

    def add(self, name: str, array: np.ndarray) -> TensorProto:
        return self.add_pieces(name, array.dtype, array.shape, [array])

    def add_transposed(self, name: str, array: np.ndarray, block_bytes: int = 1 << 24
                       ) -> TensorProto:
        """Like :meth:`add` for ``array.T`` (2-D), without materialising the transpose."""
        rows, cols = array.shape
        step = max(1, block_bytes // max(1, rows * array.itemsize))
        blocks = (array[:, j:j + step].T for j in range(0, cols, step))
        return self.add_pieces(name, array.dtype, (cols, rows), blocks)

    def add_pieces(self, name: str, dtype, shape, pieces: Iterable[np.ndarray]) -> TensorProto:
        """Appends one tensor of ``shape`` given as consecutive pieces of its C-order data
        (row blocks), so that the whole tensor is never in memory at once."""
        dtype = np.dtype(dtype)
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        self._pad_to(DATA_ALIGN_LARGE if nbytes >= LARGE else DATA_ALIGN)
        start = self.offset
        for piece in pieces:
            piece = np.ascontiguousarray(piece, dtype=dtype.newbyteorder("<"))
            mv = memoryview(piece).cast("B")
            self._f.write(mv)
            self._sha.update(mv)
            self.offset += piece.nbytes
        if self.offset - start != nbytes:
            raise ValueError(f"{name}: wrote {self.offset - start} bytes for shape {shape} "
                             f"({nbytes} bytes)")
        return self._proto(name, dtype, shape, start, nbytes)

    def _proto(self, name: str, dtype, shape, offset: int, nbytes: int) -> TensorProto:
        t = TensorProto()
        t.name = name
        t.data_type = _NP_TO_ONNX[np.dtype(dtype)]
        t.dims.extend(shape)
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", self.location), ("offset", str(offset)),
                     ("length", str(nbytes))):
            e = t.external_data.add()
            e.key, e.value = k, v
        self.count += 1
        return t

    def close(self) -> Tuple[str, int]:
        self._f.close()
        return self._sha.hexdigest(), self.offset


# ---------------------------------------------------------------------------------------------
# Weights: names, shapes, conversion
# ---------------------------------------------------------------------------------------------

def hf_weight_names(cfg: dec.DecoderConfig) -> List[str]:
    """All decoder weights in the order they are written."""
    names = ["model.embed_tokens.weight"]
    for i in range(cfg.num_layers):
        names += [f"model.layers.{i}.{n}" for n in dec.layer_param_names(cfg)]
    return names + ["model.norm.weight", "lm_head.weight"]


def expected_hf_shapes(cfg: dec.DecoderConfig) -> Dict[str, Tuple[int, ...]]:
    """Checkpoint-layout shapes (linear weights ``[out, in]``)."""
    h, i_, v, g, d = (cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size,
                      cfg.qk_norm_groups, cfg.head_dim)
    per_layer = {
        "self_attn.q_proj.weight": (h, h), "self_attn.k_proj.weight": (h, h),
        "self_attn.v_proj.weight": (h, h), "self_attn.o_proj.weight": (h, h),
        "self_attn.q_norm.weight": (g, d), "self_attn.q_norm.bias": (g, d),
        "self_attn.k_norm.weight": (g, d), "self_attn.k_norm.bias": (g, d),
        "mlp.gate_proj.weight": (i_, h), "mlp.up_proj.weight": (i_, h),
        "mlp.down_proj.weight": (h, i_),
        "input_layernorm.weight": (h,), "post_attention_layernorm.weight": (h,),
    }
    shapes = {"model.embed_tokens.weight": (v, h), "model.norm.weight": (h,),
              "lm_head.weight": (v, h)}
    for layer in range(cfg.num_layers):
        for n, s in per_layer.items():
            shapes[f"model.layers.{layer}.{n}"] = s
    return shapes


def source_name(source: WeightSource, cfg: dec.DecoderConfig, hf_name: str) -> str:
    """The checkpoint tensor that holds ``hf_name`` (lm_head falls back to the embedding when
    the config ties them)."""
    if hf_name == "lm_head.weight" and hf_name not in source and cfg.tie_word_embeddings:
        return "model.embed_tokens.weight"
    return hf_name


def load_converted(source: WeightSource, cfg: dec.DecoderConfig, hf_name: str,
                   np_dtype: np.dtype) -> np.ndarray:
    """One weight in the target dtype, still in the checkpoint layout (see
    :func:`write_weight` for the transposition of linear weights)."""
    try:
        return source.get(source_name(source, cfg, hf_name), dtype=np_dtype)
    except ValueError as e:
        if "overflow float16" in str(e):
            raise ExportOverflow(str(e)) from None
        raise


class ExportOverflow(ValueError):
    pass


def write_weight(writer: "ExternalDataWriter", hf_name: str, array: np.ndarray,
                 stored_name: Optional[str] = None) -> TensorProto:
    """Appends the weight ``hf_name`` in the module/ONNX layout, as the initializer
    ``stored_name`` (default ``hf_name``; a float16 copy has its own name): linear weights
    ``[out, in]`` are written transposed, ``[in, out]``, a block of columns at a time (no full
    transposed copy)."""
    name = hf_name if stored_name is None else stored_name
    if dec.is_linear_weight(hf_name):
        _require_2d(hf_name, array)
        return writer.add_transposed(name, array)
    return writer.add(name, array)


def write_int4_weight(writer: "ExternalDataWriter", hf_name: str, array: np.ndarray,
                      settings: int4.Int4Settings) -> List[TensorProto]:
    """Appends a linear weight (checkpoint layout ``[out, in]`` = MatMulNBits' ``[N, K]``) as
    its packed 4-bit blocks, scales and zero points, quantized a row chunk at a time."""
    _require_2d(hf_name, array)
    n, k = array.shape
    n_blocks = -(-k // settings.block_size)
    names = int4.quantized_names(hf_name)
    pieces, scales, zero_points = int4.quantize_rows(array, settings.block_size, array.dtype)
    packed = writer.add_pieces(names.packed, np.uint8, (n, n_blocks, settings.block_size // 2),
                               pieces)
    return [packed,
            writer.add(names.scales, np.concatenate(scales)),
            writer.add(names.zero_points, np.concatenate(zero_points))]


def weight_format(int4_settings: Optional[int4.Int4Settings], store_float16: bool) -> str:
    """The manifest's ``decoder.weights`` value for these export settings (the one place
    that makes this choice: the manifest and the export log both take it from here)."""
    if int4_settings is not None:
        return "int4"
    return "float16_stored" if store_float16 else "full"


def _require_2d(hf_name: str, array: np.ndarray) -> None:
    if array.ndim != 2:
        raise ValueError(f"{hf_name}: expected a 2-D weight, got shape {array.shape}")


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------

def _prefixed(prefix: str, name: str) -> str:
    return prefix + (name if name.startswith("/") else "/" + name)


def _copy_template(graph: onnx.GraphProto, prefix: str, io_map: Mapping[str, str],
                   param_map: Mapping[str, str], out_nodes: list,
                   out_initializers: list) -> int:
    """Appends a renamed copy of a template's nodes; returns the number of nodes copied.

    ``io_map`` renames the template's graph inputs/outputs; ``param_map`` its parameter inputs
    (to initializer names). Other tensors and node names get ``prefix``. Template
    initializers (constants) are copied under prefixed names."""
    rename: Dict[str, str] = dict(io_map)
    rename.update(param_map)
    rename[""] = ""  # optional inputs stay absent
    for init in graph.initializer:
        t = TensorProto()
        t.CopyFrom(init)
        t.name = _prefixed(prefix, init.name)
        rename[init.name] = t.name
        out_initializers.append(t)

    def r(name: str) -> str:
        if name not in rename:
            rename[name] = _prefixed(prefix, name)
        return rename[name]

    for node in graph.node:
        n = onnx.NodeProto()
        n.CopyFrom(node)
        n.name = _prefixed(prefix, node.name or node.op_type)
        del n.input[:]
        n.input.extend(r(x) for x in node.input)
        del n.output[:]
        n.output.extend(r(x) for x in node.output)
        out_nodes.append(n)
    return len(graph.node)


def _decoder_io(cfg: dec.DecoderConfig, elem: int, kv_layout: str):
    """The graph's inputs and outputs (docs/bundle-format.md, "ONNX graphs")."""
    H, D = cfg.num_heads, cfg.head_dim
    shared = kv_layout == "shared_buffer"
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])]
    if shared:
        cache_in = cache_out = ["batch", H, "capacity", D]
    else:
        inputs.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                                    ["batch", "total_sequence"]))
        cache_in = ["batch", H, "past_sequence", D]
        cache_out = ["batch", H, "total_sequence", D]
    inputs.append(helper.make_tensor_value_info("position_ids", TensorProto.INT64,
                                                ["batch", "sequence"]))
    if shared:
        inputs.append(helper.make_tensor_value_info("seqlens_k", TensorProto.INT32, ["batch"]))
        inputs.append(helper.make_tensor_value_info("total_sequence_length", TensorProto.INT32,
                                                    []))
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                             ["batch", "logits_positions", cfg.vocab_size])]
    for i in range(cfg.num_layers):
        for kv in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kv}", elem,
                                                        cache_in))
            outputs.append(helper.make_tensor_value_info(f"present.{i}.{kv}", elem, cache_out))
    inputs.append(helper.make_tensor_value_info("num_logits_to_keep", TensorProto.INT64, []))
    return inputs, outputs


@dataclasses.dataclass
class DecoderExport:
    onnx_path: Path
    data_path: Path
    onnx_sha256: str
    data_sha256: str
    data_bytes: int
    dtype: str  # float32 / float16
    nodes_per_layer: int
    total_nodes: int
    seconds: float


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def export_decoder(source: WeightSource, cfg: dec.DecoderConfig, out_dir: Path,
                   dtype: str = "float32", quiet: bool = False, check: bool = True,
                   int4_settings: Optional[int4.Int4Settings] = None,
                   kv_layout: str = "concat", store_float16: bool = False) -> DecoderExport:
    """Writes ``out_dir/decoder.onnx`` + ``decoder.onnx.data``; with ``int4_settings`` every
    linear weight (attention and MLP projections, lm_head) is stored as 4-bit blocks and read
    by a ``com.microsoft.MatMulNBits`` node instead of a ``MatMul`` (:mod:`.int4`); with
    ``store_float16`` (float32 graphs) the large weights are stored as float16 and cast to
    float32 when the session loads (:mod:`.float16_storage`).
    ``kv_layout`` (:data:`lumina_export.decoder.KV_LAYOUTS`) selects the graph's cache
    inputs and outputs (docs/bundle-format.md)."""
    t0 = time.time()
    out_dir = Path(out_dir)
    if dtype not in ("float32", "float16"):
        raise ValueError(f"dtype {dtype}")
    if kv_layout not in dec.KV_LAYOUTS:
        raise ValueError(f"kv_layout {kv_layout}")
    if store_float16 and (dtype != "float32" or int4_settings is not None):
        raise ValueError("float16 storage is for float32 graphs with full weights")
    shared = kv_layout == "shared_buffer"
    np_dtype = np.dtype(np.float16 if dtype == "float16" else np.float32)
    elem = TensorProto.FLOAT16 if dtype == "float16" else TensorProto.FLOAT
    trace_dtype = torch.bfloat16 if dtype == "float16" else torch.float32

    _log(f"tracing the decoder pieces (one layer at {cfg.hidden_size} hidden, "
         f"{cfg.intermediate_size} intermediate, {trace_dtype})", quiet)
    tpl = trace_templates(cfg, trace_dtype, kv_layout=kv_layout)
    if dtype == "float16":
        for g in (tpl.prologue, tpl.layer, tpl.epilogue):
            graph_bf16_to_f16(g)
    for g in (tpl.prologue, tpl.layer, tpl.epilogue):
        del g.value_info[:]

    onnx_path = out_dir / "decoder.onnx"
    data_path = out_dir / "decoder.onnx.data"
    writer = ExternalDataWriter(data_path)
    nodes: List[onnx.NodeProto] = []
    inits: List[TensorProto] = []
    int4_shapes: Dict[str, Tuple[int, int]] = {}  # quantized weight -> (N, K)
    casts: List[onnx.NodeProto] = []  # float16-stored weights -> float32, first in the graph

    def weight(hf_name: str) -> str:
        arr = load_converted(source, cfg, hf_name, np_dtype)
        if int4_settings is not None and dec.is_linear_weight(hf_name):
            inits.extend(write_int4_weight(writer, hf_name, arr, int4_settings))
            int4_shapes[hf_name] = arr.shape
        elif store_float16 and arr.size >= float16_storage.MIN_ELEMENTS:
            inits.append(write_weight(writer, hf_name, arr.astype(np.float16),
                                      stored_name=float16_storage.stored_name(hf_name)))
            casts.append(float16_storage.cast_node(hf_name))
        else:
            inits.append(write_weight(writer, hf_name, arr))
        del arr
        return hf_name

    try:
        # prologue
        weight("model.embed_tokens.weight")
        pro_io = {"input_ids": "input_ids", "position_ids": "position_ids",
                  "hidden": "/model/inputs_embeds", "cos": "/model/rotary_cos",
                  "sin": "/model/rotary_sin"}
        if not shared:
            pro_io.update(attention_mask="attention_mask",
                          attention_bias="/model/attention_bias")
        _copy_template(tpl.prologue, "/model/prologue", pro_io, tpl.prologue_params, nodes,
                       inits)
        hidden = "/model/inputs_embeds"
        per_layer = 0
        for i in range(cfg.num_layers):
            prefix = f"model.layers.{i}."
            pmap = {p: weight(prefix + p) for p in tpl.layer_params}
            out = f"/model/layers.{i}/output_0"
            io_map = {"hidden": hidden, "cos": "/model/rotary_cos", "sin": "/model/rotary_sin",
                      "past_key": f"past_key_values.{i}.key",
                      "past_value": f"past_key_values.{i}.value",
                      "hidden_out": out, "present_key": f"present.{i}.key",
                      "present_value": f"present.{i}.value"}
            if shared:
                io_map.update(seqlens_k="seqlens_k", total_sequence_length="total_sequence_length")
            else:
                io_map.update(attention_bias="/model/attention_bias")
            per_layer = _copy_template(tpl.layer, f"/model/layers.{i}", io_map, pmap, nodes,
                                       inits)
            hidden = out
            _log(f"  layer {i + 1}/{cfg.num_layers} written "
                 f"({writer.offset / 2**30:.2f} GiB, {time.time() - t0:.0f} s)", quiet)
        weight("model.norm.weight")
        weight("lm_head.weight")
        _copy_template(tpl.epilogue, "/model/epilogue",
                       {"hidden": hidden, "num_logits_to_keep": "num_logits_to_keep",
                        "logits": "logits"}, tpl.epilogue_params, nodes, inits)
    finally:
        data_sha, data_bytes = writer.close()
    if int4_settings is not None:
        int4.replace_matmuls(nodes, int4_shapes, int4_settings)

    inputs, outputs = _decoder_io(cfg, elem, kv_layout)
    graph = helper.make_graph(casts + nodes, "lumina_mgpt_decoder", inputs, outputs, initializer=inits)
    opsets = [helper.make_opsetid("", OPSET)]
    if int4_settings is not None or shared:
        opsets.append(helper.make_opsetid(int4.MS_DOMAIN, 1))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="lumina-export",
                              producer_version="1")
    model.ir_version = IR_VERSION
    props = [("lumina.dtype", dtype), ("lumina.num_layers", str(cfg.num_layers)),
             ("lumina.kv_layout", kv_layout)]
    if store_float16:
        layout = ("stored [in, out] as float16 under their Hugging Face names + '.float16', "
                  "cast to float32 when loaded")
        props.append(("lumina.weights", "float16_stored"))
    elif int4_settings is None:
        layout = "stored [in, out] under their Hugging Face names"
    else:
        layout = (f"4-bit MatMulNBits blocks of {int4_settings.block_size} named after the "
                  "Hugging Face names (_Q4, _scales, _zero_points)")
        props.append(("lumina.weights", f"int4, block size {int4_settings.block_size}"))
    model.doc_string = f"Lumina-mGPT (Chameleon) decoder with KV cache; linear weights are {layout}."
    for k, v in props:
        p = model.metadata_props.add()
        p.key, p.value = k, v
    with open(onnx_path, "wb") as f:
        f.write(model.SerializeToString())
    total_nodes = len(nodes)
    del model, graph, nodes, inits
    if check:
        onnx.checker.check_model(str(onnx_path))
    onnx_sha = sha256_file(onnx_path)
    secs = time.time() - t0
    _log(f"decoder.onnx written: {total_nodes} nodes, {data_bytes / 2**30:.2f} GiB of {dtype} "
         f"({weight_format(int4_settings, store_float16)}) weights, {secs:.0f} s", quiet)
    return DecoderExport(onnx_path, data_path, onnx_sha, data_sha, data_bytes, dtype,
                         per_layer, total_nodes, secs)


