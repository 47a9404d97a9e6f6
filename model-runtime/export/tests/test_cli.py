"""export.py as a user runs it: errors exit 2 with one line naming the problem and the fix;
--tiny writes a bundle (the committed one is what the exporter produces); torch_bench.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import exporter_fixtures as fx
from lumina_export import bundle, references

TINY_BUNDLE = fx.REPO / "model-runtime" / "models" / "tiny-random"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    ckpt, vq_dir, _ = fx.make_checkpoint(root)
    return ckpt, vq_dir


def _linked_copy(src: Path, dst: Path, skip=()):
    dst.mkdir(parents=True, exist_ok=True)
    for p in src.iterdir():
        if p.name not in skip:
            (dst / p.name).symlink_to(p)
    return dst


def _assert_usage_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = fx.error_lines(proc)
    assert len(lines) == 1, proc.stderr
    for frag in fragments:
        assert frag in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_config_json(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    bad = _linked_copy(ckpt, tmp_path / "ck", skip=("config.json",))
    proc = fx.run_export("--checkpoint", str(bad), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--target-size", "512")
    _assert_usage_error(proc, "config.json", "checkpoint")
    assert not (tmp_path / "out" / "lumina-model.json").exists()


def test_missing_shard(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    bad = _linked_copy(ckpt, tmp_path / "ck", skip=("model-00002-of-00002.safetensors",))
    proc = fx.run_export("--checkpoint", str(bad), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--target-size", "512")
    _assert_usage_error(proc, "missing shard", "model-00002-of-00002.safetensors", "download")


def test_target_size_not_multiple_of_32(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    proc = fx.run_export("--checkpoint", str(ckpt), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--target-size", "500")
    _assert_usage_error(proc, "--target-size 500", "multiple of 32")
    proc = fx.run_export("--tiny", "--out", str(tmp_path / "out"), "--target-size", "-32")
    _assert_usage_error(proc, "multiple of 32")


def test_missing_vqgan_and_tokenizer(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    proc = fx.run_export("--checkpoint", str(ckpt), "--vqgan", str(tmp_path / "nowhere"),
                         "--out", str(tmp_path / "out"), "--target-size", "512")
    _assert_usage_error(proc, "vqgan.yaml", "--vqgan")
    bad = _linked_copy(ckpt, tmp_path / "ck", skip=("tokenizer.json",))
    proc = fx.run_export("--checkpoint", str(bad), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--target-size", "512")
    _assert_usage_error(proc, "tokenizer", "--tokenizer")
    proc = fx.run_export("--checkpoint", str(ckpt), "--out", str(tmp_path / "out"))
    _assert_usage_error(proc, "--vqgan")


def test_bad_config_value(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    bad = _linked_copy(ckpt, tmp_path / "ck", skip=("config.json",))
    cfg = json.loads((ckpt / "config.json").read_text())
    cfg["num_hidden_layers"] = 4  # the shards hold 3 layers
    (bad / "config.json").write_text(json.dumps(cfg))
    proc = fx.run_export("--checkpoint", str(bad), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--target-size", "512")
    _assert_usage_error(proc, "model.layers.3.", "4 layers")


def test_default_target_size_warns(checkpoint, tmp_path):
    ckpt, vq = checkpoint
    proc = fx.run_export("--checkpoint", str(ckpt), "--vqgan", str(vq), "--out",
                         str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "--target-size not given; using 512" in proc.stderr
    m = json.loads((tmp_path / "out" / "lumina-model.json").read_text())
    assert m["target_size"] == 512
    assert not (tmp_path / "out" / "references").exists()


def test_tiny_small_sizes_without_references(tmp_path):
    out = tmp_path / "bench-like"
    proc = fx.run_export("--tiny", "--seed", "3", "--out", str(out), "--hidden", "32",
                         "--layers", "1", "--heads", "2", "--no-references", "--quiet")
    assert proc.returncode == 0, proc.stderr
    m = json.loads((out / "lumina-model.json").read_text())
    assert m["name"] == "bench-like" and m["random_weights"] is True
    assert (m["decoder"]["hidden_size"], m["decoder"]["num_layers"],
            m["decoder"]["num_heads"], m["decoder"]["intermediate_size"]) == (32, 1, 2, 96)
    assert m["outputs"]["depth"]["near"] == "bright"
    assert not (out / "references").exists()
    proc = fx.run_export("--tiny", "--out", str(out), "--vocab", "100")
    _assert_usage_error(proc, "--vocab 100")


def test_committed_tiny_bundle_is_what_the_exporter_writes(tmp_path):
    """Regenerates tiny-random (REGENERATE.md) and compares with the committed files."""
    assert (TINY_BUNDLE / "lumina-model.json").is_file(), \
        "model-runtime/models/tiny-random is missing: see its REGENERATE.md"
    committed = bundle.read_manifest(TINY_BUNDLE)
    for entry in committed["files"].values():
        for f in [entry] + entry.get("external_data", []):
            assert bundle.sha256_file(TINY_BUNDLE / f["path"]) == f["sha256"], f["path"]
    out = tmp_path / "tiny-random"
    proc = fx.run_export("--tiny", "--seed", "1", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    fresh = bundle.read_manifest(out)
    for key in ("tokens", "decoder", "vq", "sampling", "outputs", "target_size",
                "random_weights", "license", "description"):
        assert fresh[key] == committed[key], key
    assert committed["source"]["exporter_command"] == \
        "export.py --tiny --seed 1 --out model-runtime/models/tiny-random"
    # the weights are bit-identical; graphs may differ in bytes across torch versions
    assert fresh["files"]["decoder"]["external_data"] == \
        committed["files"]["decoder"]["external_data"]
    assert fresh["files"]["tokenizer"] == committed["files"]["tokenizer"]
    ref_new = json.loads((out / "references" / "references.json").read_text())
    ref_old = json.loads((TINY_BUNDLE / "references" / "references.json").read_text())
    assert [c["name"] for c in ref_old["decoder"]] == ["conditional", "unconditional"]
    for a, b in zip(ref_new["decoder"], ref_old["decoder"]):
        assert (a["input_ids"], a["steps"], a["logits"]["shape"]) == \
            (b["input_ids"], b["steps"], b["logits"]["shape"])
        assert b["logits"]["shape"][0] >= 21
        np.testing.assert_allclose(references.read_logits(out / "references", a),
                                   references.read_logits(TINY_BUNDLE / "references", b),
                                   atol=1e-5)
    assert committed["decoder"]["qk_norm_groups"] == 2


def test_torch_bench_json(tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run([fx.PYTHON, str(fx.EXPORT_DIR / "lumina_export" / "torch_bench.py"),
                           "--model", str(TINY_BUNDLE), "--steps", "3", "--prompt-tokens", "8",
                           "--threads", "1", "--warmup", "0", "--json"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"torch_tokens_per_s", "torch_ms_per_step", "threads", "blas"} <= set(res)
    assert res["threads"] == 1 and res["torch_ms_per_step"] > 0
    assert res["torch_tokens_per_s"] == pytest.approx(1000.0 / res["torch_ms_per_step"])
    assert res["blas"] and res["blas"] != "unknown"
    proc = subprocess.run([fx.PYTHON, str(fx.EXPORT_DIR / "lumina_export" / "torch_bench.py"),
                           "--model", str(tmp_path), "--json"], capture_output=True, text=True)
    assert proc.returncode == 2 and "lumina-model.json" in proc.stderr
