"""Exports a small on-disk checkpoint with export.py and checks the bundle against an
independent, upstream-style forward pass written here (no KV cache, full-sequence causal
attention, q/k-norm of shape (num_heads, head_dim) after repeat_interleave).

With LUMINA_EXPORT_CHECK_DIR set, the fp32 bundle (with references/) is written there and
kept, for the Java parity suite; otherwise into a temporary folder.
"""

from __future__ import annotations

import collections
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F
from onnx import TensorProto

import exporter_fixtures as fx
from lumina_export import bundle, onnx_assembly, onnx_numpy, references
from lumina_export.decoder import DecoderConfig

TOL = 1e-4


# ---------------------------------------------------------------------------------------------
# Independent reference (HF upstream style; HF layout weights [out, in])
# ---------------------------------------------------------------------------------------------

def upstream_forward(state, cfg: DecoderConfig, ids, swin: bool = False) -> torch.Tensor:
    """logits [S, V] for one sequence, float32, straight from HF-layout weights."""
    w = {k: v.to(torch.float32) for k, v in state.items()}
    H, D = cfg.num_heads, cfg.head_dim
    S = len(ids)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]  # [S, hidden]

    def rms(t, weight):
        var = t.pow(2).mean(-1, keepdim=True)
        return weight * (t * torch.rsqrt(var + cfg.rms_norm_eps))

    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, D, 2).float() / D))
    pos = torch.arange(S).float()
    freqs = torch.outer(pos, inv_freq)
    emb = torch.cat([freqs, freqs], -1)
    cos, sin = emb.cos(), emb.sin()  # [S, D]

    def rot(t):  # t [H, S, D]
        t1, t2 = t[..., :D // 2], t[..., D // 2:]
        return t * cos + torch.cat([-t2, t1], -1) * sin

    mask = torch.full((S, S), float("-inf")).triu(1)
    per = H // cfg.qk_norm_groups
    for i in range(cfg.num_layers):
        p = f"model.layers.{i}."
        h = x if swin else rms(x, w[p + "input_layernorm.weight"])
        q = F.linear(h, w[p + "self_attn.q_proj.weight"]).reshape(S, H, D)
        k = F.linear(h, w[p + "self_attn.k_proj.weight"]).reshape(S, H, D)
        v = F.linear(h, w[p + "self_attn.v_proj.weight"]).reshape(S, H, D)
        # upstream transformers: q_norm weight/bias have shape (num_heads, head_dim)
        qw = w[p + "self_attn.q_norm.weight"].repeat_interleave(per, 0)
        qb = w[p + "self_attn.q_norm.bias"].repeat_interleave(per, 0)
        kw = w[p + "self_attn.k_norm.weight"].repeat_interleave(per, 0)
        kb = w[p + "self_attn.k_norm.bias"].repeat_interleave(per, 0)
        assert qw.shape == (H, D)
        q = F.layer_norm(q, (D,), eps=1e-5) * qw + qb
        k = F.layer_norm(k, (D,), eps=1e-5) * kw + kb
        q, k, v = rot(q.transpose(0, 1)), rot(k.transpose(0, 1)), v.transpose(0, 1)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(D) + mask, -1) @ v  # [H, S, D]
        a = F.linear(att.transpose(0, 1).reshape(S, H * D), w[p + "self_attn.o_proj.weight"])
        if swin:  # Lumina's ChameleonSwinDecoderLayer: norms after attention / MLP
            x = x + rms(a, w[p + "input_layernorm.weight"])
            h = x
        else:
            x = x + a
            h = rms(x, w[p + "post_attention_layernorm.weight"])
        m = F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"])
        m = F.linear(m, w[p + "mlp.down_proj.weight"])
        x = x + (rms(m, w[p + "post_attention_layernorm.weight"]) if swin else m)
    x = rms(x, w["model.norm.weight"])
    return F.linear(x, w["lm_head.weight"])


# ---------------------------------------------------------------------------------------------
# Fixtures: one fp32 export (with references) and one fp16 export of the same checkpoint
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("ckpt")
    ckpt, vq_dir, state = fx.make_checkpoint(root)
    return {"ckpt": ckpt, "vqgan": vq_dir, "state": state, "cfg": fx.checkpoint_config()}


@pytest.fixture(scope="module")
def fp32_bundle(checkpoint, tmp_path_factory):
    keep = os.environ.get("LUMINA_EXPORT_CHECK_DIR")
    out = Path(keep) if keep else tmp_path_factory.mktemp("bundle32") / "test-checkpoint"
    proc = fx.run_export("--checkpoint", str(checkpoint["ckpt"]), "--vqgan",
                         str(checkpoint["vqgan"]), "--out", str(out), "--target-size", "768",
                         "--references", "--name", "test-checkpoint")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def fp16_bundle(checkpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle16") / "test-checkpoint-fp16"
    proc = fx.run_export("--checkpoint", str(checkpoint["ckpt"]), "--vqgan",
                         str(checkpoint["vqgan"]), "--out", str(out), "--dtype", "fp16",
                         "--target-size", "512")
    assert proc.returncode == 0, proc.stderr
    return out


def _manifest(b):
    with open(Path(b) / "lumina-model.json") as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------------
# Manifest and files
# ---------------------------------------------------------------------------------------------

def test_manifest_fields(fp32_bundle, checkpoint):
    m = _manifest(fp32_bundle)
    cfg = checkpoint["cfg"]
    assert m["format"] == "lumina-model" and m["format_version"] == 1
    assert m["name"] == "test-checkpoint"
    assert m["random_weights"] is False
    assert m["target_size"] == 768
    assert m["outputs"] == {k: "unknown" for k in
                            ("depth", "normals", "segmentation", "detect", "pose")}
    assert m["tokens"] == {"bos": 0, "pad": 1, "separator": 8710, "image_start": 8197,
                           "image_end": 8196, "end_of_line": 8803, "size_base": 8804,
                           "image_placeholder": "<|image|>", "image_token_first": 4,
                           "image_token_last": 8195, "codebook_size": 8192}
    d = m["decoder"]
    assert (d["num_layers"], d["num_heads"], d["head_dim"], d["hidden_size"],
            d["vocab_size"], d["max_positions"]) == (3, 6, 16, 96, 9216, 2048)
    assert d["dtype"] == d["kv_dtype"] == "float32"
    assert d["kv_layout"] == "concat" and d["kv_dims"] == "batch,heads,positions,head_dim"
    assert d["has_num_logits_to_keep"] is True
    assert d["qk_norm_groups"] == 2 and d["intermediate_size"] == 256
    assert m["vq"] == {"downsample": 16, "codebook_size": 8192, "embed_dim": 8,
                       "dtype": "float32"}
    assert m["sampling"]["text_to_image"] == {"cfg": 4.0, "image_top_k": 2000,
                                              "text_top_k": 10, "temperature": 1.0}
    assert m["sampling"]["image_to_image"]["image_top_k"] == 200
    assert m["sampling"]["text"]["max_new_tokens"] == 512
    assert m["source"]["checkpoint"] == "ckpt"
    assert "--checkpoint" in m["source"]["exporter_command"]


def test_sha256_of_every_file(fp32_bundle):
    m = _manifest(fp32_bundle)
    files = m["files"]
    assert set(files) == {"decoder", "vq_encoder", "vq_decoder", "tokenizer"}
    assert [e["path"] for e in files["decoder"]["external_data"]] == ["decoder.onnx.data"]
    listed = []
    for entry in files.values():
        listed.append((entry["path"], entry["sha256"]))
        listed += [(e["path"], e["sha256"]) for e in entry.get("external_data", [])]
    for path, sha in listed:
        assert re.fullmatch(r"[0-9a-f]{64}", sha)
        assert bundle.sha256_file(Path(fp32_bundle) / path) == sha, path


def test_onnx_checker_and_io_contract(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    for name in ("decoder.onnx", "vq_encoder.onnx", "vq_decoder.onnx"):
        onnx.checker.check_model(str(Path(fp32_bundle) / name))
    model = onnx.load(str(Path(fp32_bundle) / "decoder.onnx"), load_external_data=False)
    ins = {i.name: i.type.tensor_type for i in model.graph.input}
    outs = {o.name: o.type.tensor_type for o in model.graph.output}
    expect_in = ["input_ids", "attention_mask", "position_ids"]
    expect_in += [f"past_key_values.{i}.{kv}" for i in range(3) for kv in ("key", "value")]
    expect_in += ["num_logits_to_keep"]
    assert [i.name for i in model.graph.input] == expect_in
    assert [o.name for o in model.graph.output] == \
        ["logits"] + [f"present.{i}.{kv}" for i in range(3) for kv in ("key", "value")]
    for n in ("input_ids", "attention_mask", "position_ids", "num_logits_to_keep"):
        assert ins[n].elem_type == TensorProto.INT64
    assert len(ins["num_logits_to_keep"].shape.dim) == 0
    assert outs["logits"].elem_type == TensorProto.FLOAT

    def dims(tt):
        return [d.dim_param or d.dim_value for d in tt.shape.dim]

    assert dims(ins["past_key_values.0.key"]) == ["batch", 6, "past_sequence", 16]
    assert dims(outs["present.2.value"]) == ["batch", 6, "total_sequence", 16]
    assert dims(outs["logits"]) == ["batch", "logits_positions", 9216]
    assert ins["past_key_values.1.value"].elem_type == TensorProto.FLOAT


def test_initializer_names_shapes_and_external_data(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    model = onnx.load(str(Path(fp32_bundle) / "decoder.onnx"), load_external_data=False)
    inits = {t.name: t for t in model.graph.initializer}
    expected = onnx_assembly.hf_weight_names(cfg)
    assert sorted(inits) == sorted(expected)  # HF names, nothing else
    hf_shapes = onnx_assembly.expected_hf_shapes(cfg)
    for name, t in inits.items():
        assert t.data_location == TensorProto.EXTERNAL, name
        ext = {e.key: e.value for e in t.external_data}
        assert ext["location"] == "decoder.onnx.data"
        want = list(hf_shapes[name])
        if name.endswith("_proj.weight") or name == "lm_head.weight":
            want = want[::-1]  # linear weights are stored [in, out]
        assert list(t.dims) == want, name
    assert list(inits["model.layers.0.self_attn.q_norm.weight"].dims) == [2, 16]
    # the graph file itself holds no weights
    assert (Path(fp32_bundle) / "decoder.onnx").stat().st_size < 1_000_000
    data = bundle.load_decoder_state(Path(fp32_bundle) / "decoder.onnx")
    state = checkpoint["state"]
    np.testing.assert_array_equal(
        data["model.layers.1.mlp.down_proj.weight"],
        state["model.layers.1.mlp.down_proj.weight"].float().numpy().T)
    np.testing.assert_array_equal(data["model.layers.2.self_attn.k_norm.bias"],
                                  state["model.layers.2.self_attn.k_norm.bias"].float().numpy())


def test_layer_by_layer_assembly_node_counts(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    model = onnx.load(str(Path(fp32_bundle) / "decoder.onnx"), load_external_data=False)
    template = onnx_assembly.trace_templates(cfg).layer
    per_layer = collections.defaultdict(list)
    other = 0
    for n in model.graph.node:
        mt = re.match(r"/model/layers\.(\d+)/", n.name)
        if mt:
            per_layer[int(mt.group(1))].append(n.op_type)
        else:
            other += 1
    assert sorted(per_layer) == [0, 1, 2]
    tcount = collections.Counter(n.op_type for n in template.node)
    for i, ops in per_layer.items():
        assert len(ops) == len(template.node), i
        assert collections.Counter(ops) == tcount, i
        # 7 projections + 2 attention products per layer
        assert collections.Counter(ops)["MatMul"] == 9
    assert len(model.graph.node) == 3 * len(template.node) + other
    for n in model.graph.node:
        if n.op_type == "MatMul" and n.input[1].endswith("_proj.weight"):
            layer = re.match(r"/model/layers\.(\d+)/", n.name).group(1)
            assert n.input[1].startswith(f"model.layers.{layer}.")


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

def test_exporter_module_matches_independent_reference(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    model, _ = bundle.load_bundle_decoder(fp32_bundle)
    cases = references.reference_cases(cfg.vocab_size, 3)
    ids = cases[0]["input_ids"] + cases[0]["steps"]
    ref = upstream_forward(checkpoint["state"], cfg, ids)
    with torch.no_grad():
        got, _ = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.int64),
                       torch.arange(len(ids)).unsqueeze(0), None, 0)
    assert got.shape == (1, len(ids), cfg.vocab_size)
    diff = (got[0] - ref).abs().max().item()
    assert diff <= TOL, diff
    assert ref.std().item() > 0.5  # logits with spread: the comparison means something


def test_references_match_independent_reference(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    ref_dir = Path(fp32_bundle) / "references"
    doc = json.loads((ref_dir / "references.json").read_text())
    assert [c["name"] for c in doc["decoder"]] == ["conditional", "unconditional"]
    assert len(doc["vq"]) >= 1
    for case in doc["decoder"]:
        logits = references.read_logits(ref_dir, case)
        assert logits.shape[0] == 1 + len(case["steps"]) >= 21
        assert logits.shape[1] == cfg.vocab_size
        full = case["input_ids"] + case["steps"]
        ref = upstream_forward(checkpoint["state"], cfg, full)
        n = len(case["input_ids"])
        want = ref[n - 1:].numpy()  # the last position after the prefill, then each step
        diff = np.abs(logits - want).max()
        assert diff <= TOL, (case["name"], diff)
    cond, uncond = doc["decoder"]
    assert cond["input_ids"][0] == 0 and cond["input_ids"][-1] == 8710
    assert cond["steps"][:3] == [8197, 8806, 8806] == uncond["input_ids"]
    assert uncond["steps"] == cond["steps"][3:]


def _feeds(cfg, ids, past, dtype, start=0, keep=1):
    B, S = 1, len(ids)
    P = 0 if past is None else past["past_key_values.0.key"].shape[2]
    feeds = {"input_ids": np.array([ids], np.int64),
             "attention_mask": np.ones((B, P + S), np.int64),
             "position_ids": np.arange(start + P, start + P + S, dtype=np.int64)[None],
             "num_logits_to_keep": np.array(keep, np.int64)}
    for i in range(cfg.num_layers):
        for kv in ("key", "value"):
            name = f"past_key_values.{i}.{kv}"
            feeds[name] = past[name] if past is not None else \
                np.zeros((B, cfg.num_heads, 0, cfg.head_dim), dtype)
    return feeds


def _run_graph(bundle_dir, cfg, ids, steps, dtype):
    """Prefill + steps through decoder.onnx itself (numpy interpreter), KV fed back."""
    path = Path(bundle_dir) / "decoder.onnx"
    model = onnx.load(str(path), load_external_data=False)
    inits = onnx_numpy.load_initializers(path)
    out = onnx_numpy.run_model(model, _feeds(cfg, ids, None, dtype), inits)
    rows = [out["logits"][0, -1]]
    assert out["logits"].shape == (1, 1, cfg.vocab_size)
    for tok in steps:
        past = {f"past_key_values.{i}.{kv}": out[f"present.{i}.{kv}"]
                for i in range(cfg.num_layers) for kv in ("key", "value")}
        out = onnx_numpy.run_model(model, _feeds(cfg, [tok], past, dtype), inits)
        rows.append(out["logits"][0, -1])
    return np.stack(rows), out


def test_onnx_graph_matches_references(fp32_bundle, checkpoint):
    """The assembled graph itself (run by the numpy interpreter) against the torch dumps."""
    cfg = checkpoint["cfg"]
    ref_dir = Path(fp32_bundle) / "references"
    doc = json.loads((ref_dir / "references.json").read_text())
    case = doc["decoder"][0]
    want = references.read_logits(ref_dir, case)
    got, last = _run_graph(fp32_bundle, cfg, case["input_ids"], case["steps"][:5], np.float32)
    assert last["present.0.key"].shape == (1, 6, len(case["input_ids"]) + 5, 16)
    assert last["present.0.key"].dtype == np.float32
    diff = np.abs(got - want[:6]).max()
    assert diff <= TOL, diff


def test_onnx_graph_num_logits_to_keep_and_padding(fp32_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    path = Path(fp32_bundle) / "decoder.onnx"
    model = onnx.load(str(path), load_external_data=False)
    inits = onnx_numpy.load_initializers(path)
    ids = [0, 9000, 9001, 8197, 8806, 8806, 17]
    full = onnx_numpy.run_model(model, _feeds(cfg, ids, None, np.float32, keep=0), inits)
    assert full["logits"].shape == (1, len(ids), cfg.vocab_size)
    ref = upstream_forward(checkpoint["state"], cfg, ids).numpy()
    assert np.abs(full["logits"][0] - ref).max() <= TOL
    three = onnx_numpy.run_model(model, _feeds(cfg, ids, None, np.float32, keep=3), inits)
    np.testing.assert_allclose(three["logits"][0], full["logits"][0, -3:], atol=1e-5)
    # a left-padded row (attention_mask 0, positions shifted) gives the unpadded logits
    feeds = _feeds(cfg, [1, 1] + ids, None, np.float32, keep=1)
    feeds["attention_mask"][0, :2] = 0
    feeds["position_ids"] = np.array([[0, 0] + list(range(len(ids)))], np.int64)
    padded = onnx_numpy.run_model(model, feeds, inits)
    assert np.isfinite(padded["logits"]).all()
    np.testing.assert_allclose(padded["logits"][0, -1], ref[-1], atol=TOL)


def test_fp16_export(fp16_bundle, checkpoint):
    cfg = checkpoint["cfg"]
    path = Path(fp16_bundle) / "decoder.onnx"
    onnx.checker.check_model(str(path))
    m = _manifest(fp16_bundle)
    assert m["decoder"]["dtype"] == "float16" and m["decoder"]["kv_dtype"] == "float16"
    assert m["target_size"] == 512
    model = onnx.load(str(path), load_external_data=False)
    for t in model.graph.initializer:
        assert t.data_type == TensorProto.FLOAT16, t.name
        assert t.data_location == TensorProto.EXTERNAL
    for vi in list(model.graph.input) + list(model.graph.output):
        et = vi.type.tensor_type.elem_type
        if vi.name.startswith(("past_key_values.", "present.")):
            assert et == TensorProto.FLOAT16, vi.name
    assert {o.name: o.type.tensor_type.elem_type for o in model.graph.output}["logits"] == \
        TensorProto.FLOAT
    # no bfloat16 left from tracing; the float32 islands are RMSNorm, rotary, softmax
    for n in model.graph.node:
        for a in n.attribute:
            assert not (a.name == "to" and a.i == TensorProto.BFLOAT16), n.name
            if a.type == onnx.AttributeProto.TENSOR:
                assert a.t.data_type != TensorProto.BFLOAT16, n.name
    last = [n for n in model.graph.node if "logits" in n.output]
    assert last and last[0].op_type == "Cast" and last[0].attribute[0].i == TensorProto.FLOAT
    # fp16 graph ~ fp32 torch module on the same (fp16-rounded) weights
    data = bundle.load_decoder_state(path)
    assert data["lm_head.weight"].dtype == np.float16
    case = references.reference_cases(cfg.vocab_size, 2)[1]
    got, last_out = _run_graph(fp16_bundle, cfg, case["input_ids"], case["steps"][:2],
                               np.float16)
    assert last_out["present.1.value"].dtype == np.float16
    assert got.dtype == np.float32
    model32, _ = bundle.load_bundle_decoder(fp16_bundle)
    want = references.run_case(model32, case["input_ids"], case["steps"][:2])
    assert np.abs(got - want).max() < 0.05 * max(1.0, np.abs(want).max())


def test_swin_norm_variant(tmp_path):
    """swin_norm true (norms after attention and MLP): module and graph vs the reference."""
    from lumina_export import pipeline, tiny
    from lumina_export.checkpoint import MemoryCheckpoint

    cfg = tiny.tiny_config(hidden=48, layers=2, heads=4, vocab=8960)
    hf, state = tiny.random_checkpoint(cfg, 11)
    hf["swin_norm"] = True
    src = MemoryCheckpoint(hf, state)
    cfg = pipeline.resolve_config(src)
    assert cfg.swin_norm
    onnx_assembly.export_decoder(src, cfg, tmp_path, quiet=True)
    ids = [0, 8950, 8197, 8806, 8806, 44, 45, 8803]
    ref = upstream_forward(state, cfg, ids, swin=True)
    plain = upstream_forward(state, cfg, ids, swin=False)
    assert (ref - plain).abs().max() > 0.1  # the variant really differs
    from lumina_export.decoder import ChameleonDecoder
    model = ChameleonDecoder(cfg)
    model.load_module_state(bundle.load_decoder_state(tmp_path / "decoder.onnx"))
    with torch.no_grad():
        got, _ = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.int64),
                       torch.arange(len(ids)).unsqueeze(0), None, 0)
    assert (got[0] - ref).abs().max().item() <= TOL
    out = onnx_numpy.run_model(tmp_path / "decoder.onnx",
                               _feeds(cfg, ids, None, np.float32, keep=0))
    assert np.abs(out["logits"][0] - ref.numpy()).max() <= TOL
