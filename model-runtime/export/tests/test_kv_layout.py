"""The ``shared_buffer`` KV layout (``export.py --kv-layout shared_buffer``): the graph's
GroupQueryAttention nodes, its inputs and outputs as docs/bundle-format.md lists them, the
manifest, and its logits against the torch references of the same weights, run by the numpy
interpreter with one preallocated buffer fed back (prefill, decode steps, and a batch of two
rows of different lengths), and the torch layer it is traced from against the concat layer.
ONNX Runtime itself runs it in the Java suite (SharedBufferSessionTest)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto

import torch

import exporter_fixtures as fx
from lumina_export import decoder as dec
from lumina_export import onnx_numpy, references

TOL = 1e-4
CAPACITY = 48


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """The tiny test model twice (same seed): concat with references, shared_buffer."""
    root = tmp_path_factory.mktemp("kv")
    out = {}
    for layout in ("concat", "shared_buffer"):
        out[layout] = root / layout
        proc = fx.run_export("--tiny", "--seed", "3", "--layers", "2", "--hidden", "64",
                             "--heads", "4", "--kv-layout", layout, "--quiet",
                             "--out", str(out[layout]),
                             *(() if layout == "concat" else ("--no-references",)))
        assert proc.returncode == 0, proc.stderr
    return out


def _model(bundle_dir):
    path = Path(bundle_dir) / "decoder.onnx"
    return onnx.load(str(path), load_external_data=False), onnx_numpy.load_initializers(path)


def test_graph_inputs_outputs_and_manifest(bundles):
    model, _ = _model(bundles["shared_buffer"])
    manifest = json.loads((bundles["shared_buffer"] / "lumina-model.json").read_text())
    decoder = manifest["decoder"]
    assert decoder["kv_layout"] == "shared_buffer"
    assert decoder["kv_dims"] == "batch,heads,positions,head_dim"
    concat = json.loads((bundles["concat"] / "lumina-model.json").read_text())["decoder"]
    assert concat["kv_layout"] == "concat"
    gqa = [n for n in model.graph.node if n.op_type == "GroupQueryAttention"]
    assert len(gqa) == decoder["num_layers"] == 2
    for i, node in enumerate(gqa):
        assert node.domain == "com.microsoft"
        assert list(node.input[3:7]) == [f"past_key_values.{i}.key", f"past_key_values.{i}.value",
                                         "seqlens_k", "total_sequence_length"]
        assert list(node.output[1:]) == [f"present.{i}.key", f"present.{i}.value"]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        assert attrs == {"num_heads": 4, "kv_num_heads": 4}
    assert any(o.domain == "com.microsoft" for o in model.opset_import)

    def dims(vi):
        return [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]

    inputs = {i.name: (i.type.tensor_type.elem_type, dims(i)) for i in model.graph.input}
    assert "attention_mask" not in inputs
    ids = (TensorProto.INT64, ["batch", "sequence"])
    assert inputs["input_ids"] == inputs["position_ids"] == ids
    assert inputs["seqlens_k"] == (TensorProto.INT32, ["batch"])
    assert inputs["total_sequence_length"] == (TensorProto.INT32, [])
    assert inputs["num_logits_to_keep"] == (TensorProto.INT64, [])
    outputs = {o.name: (o.type.tensor_type.elem_type, dims(o)) for o in model.graph.output}
    for i in range(2):
        for kv in ("key", "value"):
            cache = (TensorProto.FLOAT, ["batch", 4, "capacity", 16])
            assert inputs[f"past_key_values.{i}.{kv}"] == cache
            assert outputs[f"present.{i}.{kv}"] == cache
    assert len(inputs) == 5 + 4 and len(outputs) == 1 + 4


def _feeds(tokens, positions, lengths, total, buffers):
    feeds = {"input_ids": np.array(tokens, np.int64),
             "position_ids": np.array(positions, np.int64),
             "seqlens_k": np.array(lengths, np.int32) - 1,
             "total_sequence_length": np.array(total, np.int32),
             "num_logits_to_keep": np.array(1, np.int64)}
    feeds.update(buffers)
    return feeds


def _step(model, inits, feeds):
    out = onnx_numpy.run_model(model, feeds, inits)
    buffers = {name.replace("present.", "past_key_values."): value
               for name, value in out.items() if name.startswith("present.")}
    return out["logits"], buffers


def _empty(rows):
    return {f"past_key_values.{i}.{kv}": np.zeros((rows, 4, CAPACITY, 16), np.float32)
            for i in range(2) for kv in ("key", "value")}


def test_logits_match_the_concat_references(bundles):
    """Prefill then every step of the conditional reference case, one buffer fed back."""
    ref_dir = bundles["concat"] / "references"
    case = json.loads((ref_dir / "references.json").read_text())["decoder"][0]
    want = references.read_logits(ref_dir, case)
    model, inits = _model(bundles["shared_buffer"])
    ids = case["input_ids"]
    logits, buffers = _step(model, inits, _feeds([ids], [list(range(len(ids)))], [len(ids)],
                                                  len(ids), _empty(1)))
    rows = [logits[0, -1]]
    for n, token in enumerate(case["steps"]):
        length = len(ids) + n + 1
        logits, buffers = _step(model, inits, _feeds([[token]], [[length - 1]], [length], length,
                                                      buffers))
        rows.append(logits[0, -1])
    assert np.abs(np.stack(rows) - want).max() <= TOL


def test_two_rows_of_different_lengths(bundles):
    """The guidance pair in one call: rows of different lengths, one token each, each row
    equal to its own sequence run alone (the concat references of both cases)."""
    ref_dir = bundles["concat"] / "references"
    cond, uncond = json.loads((ref_dir / "references.json").read_text())["decoder"]
    want_cond = references.read_logits(ref_dir, cond)
    want_uncond = references.read_logits(ref_dir, uncond)
    model, inits = _model(bundles["shared_buffer"])
    # each row's prompt alone (a batch-1 call per row), then both rows together, step by step
    rows = []
    for case in (cond, uncond):
        ids = case["input_ids"] + case["steps"][:len(case["steps"]) - len(uncond["steps"])]
        _, buffers = _step(model, inits, _feeds([ids], [list(range(len(ids)))], [len(ids)],
                                                len(ids), _empty(1)))
        rows.append((len(ids), buffers))
    buffers = {name: np.concatenate([rows[0][1][name], rows[1][1][name]]) for name in rows[0][1]}
    lengths = [rows[0][0], rows[1][0]]
    assert lengths[0] != lengths[1]
    for n, token in enumerate(uncond["steps"][:4]):
        lengths = [lengths[0] + 1, lengths[1] + 1]
        logits, buffers = _step(model, inits, _feeds([[token], [token]],
                                                      [[lengths[0] - 1], [lengths[1] - 1]],
                                                      lengths, max(lengths), buffers))
        step = len(cond["steps"]) - len(uncond["steps"]) + n + 1
        assert np.abs(logits[0, -1] - want_cond[step]).max() <= TOL
        assert np.abs(logits[1, -1] - want_uncond[n + 1]).max() <= TOL


def test_torch_shared_buffer_layer_equals_the_concat_layer():
    """The torch module the graph is traced from: the fused attention's forward (what the kernel
    computes) against the concat layer, for a prompt and three steps, rows of different lengths."""
    cfg = dec.DecoderConfig(hidden_size=64, num_layers=1, num_heads=4, intermediate_size=176,
                            vocab_size=32, qk_norm_groups=2).validate()
    torch.manual_seed(0)
    concat = dec.DecoderLayer(cfg).eval()
    with torch.no_grad():
        for p in concat.parameters():
            p.normal_(0, 0.3)
    shared = dec.SharedBufferDecoderLayer(cfg).eval()
    shared.load_state_dict(concat.state_dict())
    embed = torch.randn(32, 64)
    lengths = [5, 3]  # prompts of each row, run as one batch-1 call per row
    buffers = torch.zeros(2, 2, 4, 16, 16)  # (key, value), rows, heads, capacity, head_dim
    pasts = []
    with torch.no_grad():
        for row, n in enumerate(lengths):
            ids = torch.arange(row, row + n).unsqueeze(0)
            h, bias, cos, sin = dec.prologue(embed, ids, torch.ones(1, n, dtype=torch.int64),
                                             torch.arange(n).unsqueeze(0), 16, cfg.rope_theta)
            want, key, value = concat(h, bias, cos, sin, torch.zeros(1, 4, 0, 16),
                                      torch.zeros(1, 4, 0, 16))
            got, buf_k, buf_v = shared(h, cos, sin, buffers[0, row:row + 1],
                                       buffers[1, row:row + 1],
                                       torch.tensor([n - 1], dtype=torch.int32),
                                       torch.tensor(n, dtype=torch.int32))
            assert torch.allclose(got, want, atol=1e-5)
            buffers[0, row], buffers[1, row] = buf_k[0], buf_v[0]
            pasts.append((key, value))
        for step in range(3):
            ids = torch.tensor([[7 + step], [9 + step]])
            rows = []
            for row in range(2):
                n = lengths[row]
                h, bias, cos, sin = dec.prologue(embed, ids[row:row + 1],
                                                 torch.ones(1, n + 1, dtype=torch.int64),
                                                 torch.tensor([[n]]), 16, cfg.rope_theta)
                want, key, value = concat(h, bias, cos, sin, *pasts[row])
                pasts[row] = (key, value)
                rows.append((h, cos, sin, want))
            got, buf_k, buf_v = shared(torch.cat([r[0] for r in rows]),
                                       torch.cat([r[1] for r in rows]),
                                       torch.cat([r[2] for r in rows]), buffers[0], buffers[1],
                                       torch.tensor([n for n in lengths], dtype=torch.int32),
                                       torch.tensor(max(lengths) + 1, dtype=torch.int32))
            buffers = torch.stack([buf_k, buf_v])
            lengths = [n + 1 for n in lengths]
            for row in range(2):
                assert torch.allclose(got[row], rows[row][3][0], atol=1e-5), (step, row)
                assert torch.allclose(buffers[0, row, :, :lengths[row]], pasts[row][0][0],
                                      atol=1e-6)


def test_shared_buffer_refuses_what_the_kernel_refuses(tmp_path):
    proc = fx.run_export("--tiny", "--hidden", "48", "--heads", "4", "--layers", "1",
                         "--kv-layout", "shared_buffer", "--no-references", "--quiet",
                         "--out", str(tmp_path / "b"))
    assert proc.returncode == 2
    assert "multiple of 8" in fx.error_lines(proc)[0]
    proc = fx.run_export("--tiny", "--layers", "1", "--kv-layout", "shared_buffer", "--dtype",
                         "fp16", "--no-references", "--quiet", "--out", str(tmp_path / "c"))
    assert proc.returncode == 2
    assert "float32" in fx.error_lines(proc)[0]
