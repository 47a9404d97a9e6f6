"""4-bit block-wise weights for ONNX Runtime's ``com.microsoft.MatMulNBits`` (``--weights int4``).

``MatMulNBits`` computes ``Y = A @ dequantize(B)^T`` with (ONNX Runtime's
``contrib_ops/cpu/quantization/matmul_nbits_helper.h``):

- ``B``: uint8 ``[N, n_blocks, block_size / 2]``, ``n_blocks = ceil(K / block_size)``: row ``n``
  holds output column ``n``, quantized in blocks of ``block_size`` consecutive inputs; two codes
  per byte, the lower input index in the low nibble;
- ``scales``: ``[N, n_blocks]`` of A's element type;
- ``zero_points``: uint8 ``[N, ceil(n_blocks / 2)]``, packed like ``B`` (odd ``n_blocks``: the
  last high nibble is padding);
- ``dequantize(code) = (code - zero_point) * scale``; attributes ``K``, ``N``, ``bits``,
  ``block_size`` (a power of two, at least 16), ``accuracy_level``.

A checkpoint's linear weight is ``[out, in] = [N, K]``, which is already ``B``'s row order: the
int4 export quantizes it without the transposition the float export applies.

Quantization is asymmetric (min/max per block, the range widened to hold 0 so that zero weights
stay exact), which halves the error of the symmetric variant on skewed blocks for the cost of
half a byte per block.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator, List, Mapping, Tuple

import numpy as np
import onnx
from onnx import helper

__all__ = ["MS_DOMAIN", "BITS", "Int4Settings", "quantize_rows", "dequantize", "pack_nibbles",
           "quantized_names", "weight_name", "matmul_nbits_node", "replace_matmuls"]

MS_DOMAIN = "com.microsoft"
BITS = 4
LEVELS = (1 << BITS) - 1  # codes 0..15
ROWS_PER_CHUNK = 1024  # rows quantized at once: bounds the temporaries (lm_head: 65536 rows)


@dataclasses.dataclass(frozen=True)
class Int4Settings:
    """``block_size``: inputs per scale (power of two >= 16, ONNX Runtime's constraint).
    ``accuracy_level``: MatMulNBits' compute type for A (0 unset, 1 float32, 2 float16,
    3 bfloat16, 4 int8); 4 lets ONNX Runtime quantize the activations to int8 blocks and use
    integer dot products, the fast path on CPUs."""
    block_size: int = 32
    accuracy_level: int = 4

    def validate(self) -> "Int4Settings":
        if self.block_size < 16 or self.block_size & (self.block_size - 1):
            raise ValueError(f"--block-size must be a power of two of at least 16 (ONNX "
                             f"Runtime's MatMulNBits), got {self.block_size}")
        if not 0 <= self.accuracy_level <= 4:
            raise ValueError(f"--accuracy-level must be 0..4, got {self.accuracy_level}")
        return self


@dataclasses.dataclass(frozen=True)
class QuantizedNames:
    """Initializer names of one quantized weight (ONNX Runtime's quantizer's suffixes)."""
    packed: str
    scales: str
    zero_points: str


PACKED_SUFFIX = "_Q4"


def quantized_names(hf_name: str) -> QuantizedNames:
    return QuantizedNames(hf_name + PACKED_SUFFIX, f"{hf_name}_scales", f"{hf_name}_zero_points")


def weight_name(packed_name: str) -> str:
    """The Hugging Face name of the weight whose packed blocks are ``packed_name``."""
    if not packed_name.endswith(PACKED_SUFFIX):
        raise ValueError(f"{packed_name} is not a packed 4-bit weight (suffix {PACKED_SUFFIX})")
    return packed_name[:-len(PACKED_SUFFIX)]


def pack_nibbles(codes: np.ndarray) -> np.ndarray:
    """uint8 codes 0..15 along the last axis (even length) → half as many bytes, low first."""
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


def _quantize_chunk(rows: np.ndarray, block_size: int, scale_dtype: np.dtype
                    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``rows`` float32 ``[n, K]`` → (packed ``[n, n_blocks, block_size/2]``, scales
    ``[n, n_blocks]``, packed zero points ``[n, ceil(n_blocks/2)]``)."""
    n, k = rows.shape
    n_blocks = -(-k // block_size)
    blocks = np.zeros((n, n_blocks * block_size), np.float32)
    blocks[:, :k] = rows  # NB: zero padding: its codes meet no input, any value would do
    blocks = blocks.reshape(n, n_blocks, block_size)
    low = np.minimum(blocks.min(axis=2), 0.0)
    high = np.maximum(blocks.max(axis=2), 0.0)
    # the scale as stored (float16 bundles round it), so the codes fit what the runtime uses
    scales = ((high - low) / LEVELS).astype(scale_dtype)
    step = scales.astype(np.float32)
    step[step == 0] = 1.0  # an all-zero block: any scale works, codes equal the zero point
    zero = np.clip(np.rint(-low / step), 0, LEVELS)
    codes = np.clip(np.rint(blocks / step[..., None]) + zero[..., None], 0, LEVELS)
    zero_bytes = zero.astype(np.uint8)
    if n_blocks % 2:
        zero_bytes = np.concatenate([zero_bytes, np.zeros((n, 1), np.uint8)], axis=1)
    return pack_nibbles(codes.astype(np.uint8)), scales, pack_nibbles(zero_bytes)


def quantize_rows(weight: np.ndarray, block_size: int, scale_dtype
                  ) -> Tuple[Iterator[np.ndarray], List[np.ndarray], List[np.ndarray]]:
    """Quantizes a ``[N, K]`` (checkpoint ``[out, in]``) weight ``ROWS_PER_CHUNK`` rows at a time.

    Returns a generator of the packed ``B`` in row chunks (to be written as it is produced)
    and two lists that the generator fills with the matching scale and zero-point chunks;
    concatenate them once the generator is exhausted (they are 1/8 and 1/64 of ``B``'s size
    at block size 32)."""
    scales: List[np.ndarray] = []
    zero_points: List[np.ndarray] = []

    def packed() -> Iterator[np.ndarray]:
        for start in range(0, weight.shape[0], ROWS_PER_CHUNK):
            rows = np.asarray(weight[start:start + ROWS_PER_CHUNK], dtype=np.float32)
            b, s, z = _quantize_chunk(rows, block_size, np.dtype(scale_dtype))
            scales.append(s)
            zero_points.append(z)
            yield b

    return packed(), scales, zero_points


def dequantize(packed: np.ndarray, scales: np.ndarray, zero_points: np.ndarray, k: int
               ) -> np.ndarray:
    """The float32 ``[N, K]`` weight MatMulNBits computes with (tests, references)."""
    n, n_blocks, _ = packed.shape
    codes = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(n, n_blocks, -1)
    zero = np.stack([zero_points & 0x0F, zero_points >> 4], axis=-1).reshape(n, -1)[:, :n_blocks]
    scale = scales.reshape(n, n_blocks).astype(np.float32)
    w = (codes.astype(np.float32) - zero[..., None]) * scale[..., None]
    return w.reshape(n, -1)[:, :k]


def matmul_nbits_node(matmul: onnx.NodeProto, names: QuantizedNames, k: int, n: int,
                      settings: Int4Settings) -> onnx.NodeProto:
    """The MatMulNBits node that replaces ``matmul`` (same A input, output and name)."""
    return helper.make_node(
        "MatMulNBits", [matmul.input[0], names.packed, names.scales, names.zero_points],
        list(matmul.output), name=matmul.name, domain=MS_DOMAIN, K=k, N=n, bits=BITS,
        block_size=settings.block_size, accuracy_level=settings.accuracy_level)


def replace_matmuls(nodes: List[onnx.NodeProto], shapes: Mapping[str, Tuple[int, int]],
                    settings: Int4Settings) -> None:
    """Replaces, in place, every ``MatMul`` whose B is a quantized weight (``shapes``: HF name
    → ``(N, K)``) by MatMulNBits; each weight must be the B of exactly one MatMul and of nothing
    else, or the graph would still reference the float initializer that was never written."""
    done = set()
    for i, node in enumerate(nodes):
        used = [name for name in node.input if name in shapes]
        if not used:
            continue
        name = used[0]
        if node.op_type != "MatMul" or list(node.input[1:]) != [name] or name in done:
            raise ValueError(f"{name} is used by {node.op_type} node {node.name} other than as "
                             "the B input of a single MatMul: it cannot be stored as int4")
        n, k = shapes[name]
        nodes[i] = matmul_nbits_node(node, quantized_names(name), k, n, settings)
        done.add(name)
    missing = set(shapes) - done
    if missing:
        raise ValueError(f"no MatMul reads {sorted(missing)}")
