"""``--weights int4``: the MatMulNBits layout byte by byte, the quantization error bound, and the
logits of a 4-bit tiny bundle against the float32 bundle of the same weights (the committed
tiny-random, exported from the same seed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest

import exporter_fixtures as fx
from lumina_export import bundle, int4, onnx_numpy, references

TINY_BUNDLE = fx.REPO / "model-runtime" / "models" / "tiny-random"
BLOCK_SIZE = 16  # tiny: hidden 64 and SwiGLU 176 = 11 blocks of 16 (odd: zero-point padding)

# Worst position's max |logit error| over the logits' spread (max - min of the float32 row),
# and the share of positions whose argmax is unchanged. Measured on the tiny bundle: 0.066
# (mean 0.049) and 0.87; with the nibbles swapped (a layout bug) 1.02 and 0.0. Random normal
# weights fill their blocks evenly and quantize worse than trained ones.
MAX_RELATIVE_ERROR = 0.1
MIN_TOP1_AGREEMENT = 0.75


def _quantize(weight: np.ndarray, block_size: int):
    pieces, scales, zero_points = int4.quantize_rows(weight, block_size, np.float32)
    packed = np.concatenate(list(pieces))
    return packed, np.concatenate(scales), np.concatenate(zero_points)


def test_layout_is_matmulnbits():
    """One row of 32 inputs 0..31 in blocks of 16, checked against the op's documented layout
    (not against the exporter's own unpacking)."""
    packed, scales, zero_points = _quantize(np.arange(32, dtype=np.float32)[None], 16)
    assert packed.shape == (1, 2, 8) and packed.dtype == np.uint8
    assert scales.shape == (1, 2) and zero_points.shape == (1, 1)
    # block 0: 0..15, range [0, 15], scale 1, zero point 0 -> codes 0..15, low nibble first
    assert scales[0, 0] == 1.0
    assert list(packed[0, 0]) == [c | (c + 1) << 4 for c in range(0, 16, 2)]
    # block 1: 16..31 widened to hold 0 -> [0, 31], scale 31/15, codes round(w / scale)
    assert scales[0, 1] == pytest.approx(31 / 15)
    codes = np.rint(np.arange(16, 32) / np.float32(31 / 15)).astype(int)
    assert list(packed[0, 1]) == [codes[i] | codes[i + 1] << 4 for i in range(0, 16, 2)]
    assert zero_points[0, 0] == 0  # both zero points 0, packed low first into one byte


def test_round_trip_error_and_padding():
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(70, 40)).astype(np.float32)  # K = 40: 3 blocks, the last padded
    weight[3] = 0.0  # an all-zero row stays exactly zero
    packed, scales, zero_points = _quantize(weight, 16)
    assert packed.shape == (70, 3, 8) and scales.shape == (70, 3) and zero_points.shape == (70, 2)
    back = int4.dequantize(packed, scales, zero_points, 40)
    assert back.shape == weight.shape
    step = np.repeat(scales, 16, axis=1)[:, :40]
    assert (np.abs(back - weight) <= step / 2 + 1e-6).all()
    assert (back[3] == 0).all()


def test_settings_refuse_what_the_op_refuses(tmp_path):
    for bad in (8, 24):
        with pytest.raises(ValueError, match="power of two"):
            int4.Int4Settings(block_size=bad).validate()
    proc = fx.run_export("--tiny", "--weights", "int4", "--block-size", "24", "--out",
                         str(tmp_path / "x"))
    assert proc.returncode == 2 and "--block-size" in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def int4_bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("int4") / "tiny-int4"
    proc = fx.run_export("--tiny", "--seed", "1", "--weights", "int4", "--block-size",
                         str(BLOCK_SIZE), "--no-references", "--quiet", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_int4_bundle_graph_and_manifest(int4_bundle):
    m = bundle.read_manifest(int4_bundle)
    d = m["decoder"]
    assert (d["weights"], d["weight_block_size"], d["dtype"]) == ("int4", BLOCK_SIZE, "float32")
    assert d["linear_weight_layout"] == "matmulnbits"
    path = int4_bundle / "decoder.onnx"
    onnx.checker.check_model(str(path))
    model = onnx.load(str(path), load_external_data=False)
    ops = [n.op_type for n in model.graph.node]
    # 7 projections per layer + lm_head; the attention's two MatMuls stay float
    assert ops.count("MatMulNBits") == 7 * d["num_layers"] + 1
    assert ops.count("MatMul") == 2 * d["num_layers"]
    inits = {t.name: list(t.dims) for t in model.graph.initializer}
    assert inits["lm_head.weight_Q4"] == [d["vocab_size"], d["hidden_size"] // BLOCK_SIZE,
                                          BLOCK_SIZE // 2]
    assert inits["model.layers.0.mlp.down_proj.weight_scales"] == [d["hidden_size"], 11]
    assert inits["model.layers.0.mlp.down_proj.weight_zero_points"] == [d["hidden_size"], 6]
    assert "lm_head.weight" not in inits and "model.embed_tokens.weight" in inits
    assert {o.domain for o in model.opset_import} == {"", int4.MS_DOMAIN}
    tiny = bundle.read_manifest(TINY_BUNDLE)
    assert m["files"]["decoder"]["external_data"][0]["sha256"] != \
        tiny["files"]["decoder"]["external_data"][0]["sha256"]


def _all_position_logits(bundle_dir: Path, ids) -> np.ndarray:
    """Logits of every position of ``ids`` in one prefill (numpy interpreter)."""
    cfg = bundle.decoder_config_from_manifest(bundle.read_manifest(bundle_dir))
    feeds = {"input_ids": np.array([ids], np.int64),
             "attention_mask": np.ones((1, len(ids)), np.int64),
             "position_ids": np.arange(len(ids), dtype=np.int64)[None],
             "num_logits_to_keep": np.array(0, np.int64)}
    for i in range(cfg.num_layers):
        for kv in ("key", "value"):
            feeds[f"past_key_values.{i}.{kv}"] = np.zeros((1, cfg.num_heads, 0, cfg.head_dim),
                                                          np.float32)
    return onnx_numpy.run_model(bundle_dir / "decoder.onnx", feeds)["logits"][0]


def test_int4_logits_error_against_float32(int4_bundle):
    """The 4-bit graph against the float32 graph of the same weights, on the reference
    conditional case (prompt with an image, then an image's first rows) in one prefill."""
    case = json.loads((TINY_BUNDLE / "references" / "references.json").read_text())["decoder"][0]
    ids = case["input_ids"] + case["steps"]
    full = _all_position_logits(TINY_BUNDLE, ids)
    quantized = _all_position_logits(int4_bundle, ids)
    # the float32 graph is the one the Java parity test checks: it matches torch
    np.testing.assert_allclose(full[len(case["input_ids"]) - 1],
                               references.read_logits(TINY_BUNDLE / "references", case)[0],
                               atol=1e-4)
    error = np.abs(quantized - full).max(axis=1)
    spread = full.max(axis=1) - full.min(axis=1)
    relative = error / spread
    top1 = float((quantized.argmax(axis=1) == full.argmax(axis=1)).mean())
    print(f"\nint4 (block {BLOCK_SIZE}) vs float32, {len(ids)} positions: max |error| "
          f"{error.max():.4f} (mean {error.mean():.4f}), logits spread {spread.mean():.3f}, "
          f"relative max {relative.max():.4f} (mean {relative.mean():.4f}), "
          f"top-1 agreement {top1:.2f}")
    assert np.isfinite(quantized).all()
    assert relative.max() <= MAX_RELATIVE_ERROR
    assert top1 >= MIN_TOP1_AGREEMENT
    assert relative.max() > 0  # the weights really were quantized


def test_dequantized_state_rebuilds_the_int4_graph(int4_bundle):
    """bundle.load_decoder_state dequantizes the 4-bit weights: the torch module built from it
    reproduces the graph (so references and torch_bench work on int4 bundles)."""
    import torch

    model, _ = bundle.load_bundle_decoder(int4_bundle)
    ids = [0, 5000, 5001, 8197, 8806, 8806, 10, 11]
    with torch.no_grad():
        logits, _ = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.int64),
                          torch.arange(len(ids))[None])
    np.testing.assert_allclose(logits[0, -1].numpy(), _all_position_logits(int4_bundle, ids)[-1],
                               atol=1e-4)
