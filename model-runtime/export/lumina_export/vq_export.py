"""ONNX export of the VQGAN halves and the VQ reference dumps (docs/bundle-format.md).

* ``vq_encoder.onnx``: ``pixels`` float32 [1,3,H,W] in [-1,1] → ``codes`` int64 [1,H/16,W/16]
  (encoder + quant_conv + argmin of the squared distance to every codebook entry).
* ``vq_decoder.onnx``: ``codes`` int64 [1,h,w] → ``pixels`` float32 [1,3,16h,16w]
  (codebook gather + post_quant_conv + decoder; not clamped).

H, W (h, w) are dynamic axes. Exported with the TorchScript exporter at opset 17; GroupNorm
becomes InstanceNormalization + Mul/Add, the mid attention MatMul + Softmax, the upsampling
Resize(nearest).
"""

from __future__ import annotations

import inspect
import math
import random
import warnings
from pathlib import Path
from typing import Dict, List

import torch
import torch.nn as nn

from .vqgan import VQModel, squared_distances

__all__ = [
    "OPSET",
    "export_vq_encoder",
    "export_vq_decoder",
    "write_vq_references",
    "synthetic_rgb_image",
    "code_margins",
]

OPSET = 17
REFERENCE_HEIGHT = 64
REFERENCE_WIDTH = 96


class _EncoderGraph(nn.Module):
    """pixels → codes; holds the submodules directly so initializers keep checkpoint names.

    |e|² and the codebook as a 1x1 kernel are precomputed (non-persistent buffers) so the
    graph stores the codebook once and no [N, D] square.
    """

    def __init__(self, model: VQModel):
        super().__init__()
        self.encoder = model.encoder
        self.quant_conv = model.quant_conv
        with torch.no_grad():
            e = model.quantize.embedding.weight.detach()
            self.register_buffer("codebook_sq", torch.sum(e * e, dim=1).reshape(1, -1, 1, 1),
                                 persistent=False)
            self.register_buffer("codebook_kernel",
                                 e.reshape(e.shape[0], e.shape[1], 1, 1).clone(),
                                 persistent=False)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        z = self.quant_conv(self.encoder(pixels))
        return torch.argmin(squared_distances(z, self.codebook_sq, self.codebook_kernel), dim=1)


class _DecoderGraph(nn.Module):
    """codes → pixels."""

    def __init__(self, model: VQModel):
        super().__init__()
        self.quantize = model.quantize
        self.post_quant_conv = model.post_quant_conv
        self.decoder = model.decoder

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.post_quant_conv(self.quantize.lookup(codes)))


def _onnx_export(module: nn.Module, example: torch.Tensor, path: Path, input_name: str,
                 output_name: str, input_axes: Dict[int, str], output_axes: Dict[int, str]):
    kwargs = dict(
        export_params=True,
        opset_version=OPSET,
        do_constant_folding=True,
        input_names=[input_name],
        output_names=[output_name],
        dynamic_axes={input_name: input_axes, output_name: output_axes},
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # current torch: keep the TorchScript exporter
    path.parent.mkdir(parents=True, exist_ok=True)
    module = module.eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message=r".*(Constant folding|shape inference of).*")
        torch.onnx.export(module, (example,), str(path), **kwargs)
    _check(path, input_name, len(input_axes))


def _check(path: Path, input_name: str, dynamic_count: int) -> None:
    import onnx

    onnx.checker.check_model(str(path))
    model = onnx.load(str(path), load_external_data=False)
    inputs = {i.name: i for i in model.graph.input}
    if input_name not in inputs:
        raise RuntimeError(f"{path}: exported graph has no input {input_name!r}")
    dims = inputs[input_name].type.tensor_type.shape.dim
    params = [d.dim_param for d in dims if d.dim_param]
    if len(params) != dynamic_count:
        raise RuntimeError(f"{path}: expected {dynamic_count} dynamic axes on {input_name}, "
                           f"got {[d.dim_param or d.dim_value for d in dims]}")


def export_vq_encoder(model: VQModel, path) -> str:
    """Writes ``vq_encoder.onnx`` (pixels [1,3,H,W] → codes int64 [1,H/16,W/16])."""
    path = Path(path)
    ds = model.downsample
    example = torch.zeros(1, int(model.ddconfig["in_channels"]), 4 * ds, 6 * ds)
    _onnx_export(_EncoderGraph(model), example, path, "pixels", "codes",
                 {2: "height", 3: "width"}, {1: "code_height", 2: "code_width"})
    return str(path)


def export_vq_decoder(model: VQModel, path) -> str:
    """Writes ``vq_decoder.onnx`` (codes int64 [1,h,w] → pixels [1,3,16h,16w], not clamped)."""
    path = Path(path)
    example = torch.zeros(1, 4, 6, dtype=torch.int64)
    _onnx_export(_DecoderGraph(model), example, path, "codes", "pixels",
                 {1: "code_height", 2: "code_width"}, {2: "height", 3: "width"})
    return str(path)


# ---------------------------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------------------------

def synthetic_rgb_image(height: int = REFERENCE_HEIGHT, width: int = REFERENCE_WIDTH,
                        seed: int = 0) -> torch.Tensor:
    """A deterministic RGB test picture in [-1, 1], float32 [1, 3, height, width].

    Smooth colour gradients with a disc, a square, a triangle and a ring on top; ``seed``
    moves and recolours the shapes (same seed → same picture, bit for bit).
    """
    rng = random.Random(int(seed))
    y = torch.arange(height, dtype=torch.float64).reshape(-1, 1) / max(height - 1, 1)
    x = torch.arange(width, dtype=torch.float64).reshape(1, -1) / max(width - 1, 1)
    r = 0.2 + 0.6 * x + 0.0 * y
    g = 0.3 + 0.5 * y + 0.0 * x
    b = 0.5 + 0.35 * torch.sin(2 * math.pi * (x + y)) * 0.8
    img = torch.stack([r, g, b])  # [3, H, W], values in [0, 1]

    def colour():
        return torch.tensor([rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0, 1)],
                            dtype=torch.float64).reshape(3, 1, 1)

    def paint(mask, c):
        nonlocal img
        img = torch.where(mask.unsqueeze(0), c.expand(3, height, width), img)

    yy = torch.arange(height, dtype=torch.float64).reshape(-1, 1).expand(height, width)
    xx = torch.arange(width, dtype=torch.float64).reshape(1, -1).expand(height, width)
    # disc
    cy, cx, rad = rng.uniform(0.25, 0.75) * height, rng.uniform(0.15, 0.4) * width, 0.18 * height
    paint((yy - cy) ** 2 + (xx - cx) ** 2 <= rad ** 2, colour())
    # square
    sy, sx, side = rng.uniform(0.1, 0.5) * height, rng.uniform(0.55, 0.75) * width, 0.3 * height
    paint((yy >= sy) & (yy < sy + side) & (xx >= sx) & (xx < sx + side), colour())
    # triangle (apex up)
    ty, tx, th = rng.uniform(0.55, 0.7) * height, rng.uniform(0.4, 0.6) * width, 0.3 * height
    inside = (yy <= ty) & (yy >= ty - th) & ((xx - tx).abs() <= (yy - (ty - th)) * 0.6)
    paint(inside, colour())
    # ring
    ry, rx = rng.uniform(0.6, 0.8) * height, rng.uniform(0.8, 0.9) * width
    d2 = (yy - ry) ** 2 + (xx - rx) ** 2
    paint((d2 <= (0.15 * height) ** 2) & (d2 >= (0.08 * height) ** 2), colour())

    img = img.clamp(0.0, 1.0) * 2.0 - 1.0
    return img.to(torch.float32).unsqueeze(0).contiguous()


def code_margins(model: VQModel, pixels: torch.Tensor):
    """(codes int64 [B,h,w], margin float32 [B,h,w]) where margin = second-best minus best
    squared distance, from the same distance formula as the exported encoder."""
    with torch.no_grad():
        d = model.quantize.distances(model.encode_latents(pixels))
        codes = torch.argmin(d, dim=1)
        top2 = torch.topk(d, k=2, dim=1, largest=False).values
        margin = (top2[:, 1] - top2[:, 0]).to(torch.float32)
    return codes, margin


def _write_raw(path: Path, tensor: torch.Tensor, dtype: torch.dtype) -> None:
    arr = tensor.detach().to(dtype).contiguous().numpy()
    le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
    path.write_bytes(le.tobytes(order="C"))


def write_vq_references(model: VQModel, ref_dir, seed: int) -> List[dict]:
    """Writes the VQ reference dump for a synthetic 64x96 RGB picture into ``ref_dir`` and
    returns the entries of the ``"vq"`` array of ``references.json`` (paths relative to
    ``ref_dir``)."""
    ref_dir = Path(ref_dir)
    ref_dir.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    pixels = synthetic_rgb_image(REFERENCE_HEIGHT, REFERENCE_WIDTH, seed)
    codes, margin = code_margins(model, pixels)
    with torch.no_grad():
        decoded = model.decode_codes(codes)

    files = {
        "pixels": ("vq-pixels.f32", pixels, torch.float32),
        "codes": ("vq-codes.i64", codes, torch.int64),
        "code_margin": ("vq-margin.f32", margin, torch.float32),
        "decoded": ("vq-decoded.f32", decoded, torch.float32),
    }
    entry: Dict[str, object] = {"name": f"rgb-{REFERENCE_HEIGHT}x{REFERENCE_WIDTH}"}
    for key, (name, tensor, dtype) in files.items():
        _write_raw(ref_dir / name, tensor, dtype)
        entry[key] = {"path": name, "shape": [int(s) for s in tensor.shape]}
    return [entry]
