"""safetensors reading (sharded, single file, bfloat16), lazy per-tensor loading, and the
checks that turn a bad checkpoint into a clear error."""

from __future__ import annotations

import json
import struct
import weakref

import numpy as np
import pytest
import torch

import exporter_fixtures as fx
from lumina_export import onnx_assembly, pipeline, tiny
from lumina_export.checkpoint import (CheckpointError, MemoryCheckpoint, SafetensorsCheckpoint,
                                      WeightSource, bf16_bits_to_f32, f32_to_bf16_bits,
                                      read_safetensors_header, write_safetensors)


def test_bf16_conversion_matches_torch():
    x = torch.randn(1000) * 100
    x[:4] = torch.tensor([0.0, -0.0, 1e-30, 3.0e38])
    bits = f32_to_bf16_bits(x.numpy())
    want_bits = x.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    np.testing.assert_array_equal(bits, want_bits)  # round to nearest even, like torch
    back = bf16_bits_to_f32(bits)
    np.testing.assert_array_equal(back, x.to(torch.bfloat16).float().numpy())


def test_safetensors_roundtrip_dtypes(tmp_path):
    arrays = {"a": np.random.RandomState(0).randn(3, 5).astype(np.float32),
              "b": np.random.RandomState(1).randn(7).astype(np.float32),
              "c": np.random.RandomState(2).randn(2, 2, 2).astype(np.float32)}
    specs = [("a", "F32", [3, 5]), ("b", "BF16", [7]), ("c", "F16", [2, 2, 2])]
    path = tmp_path / "model.safetensors"
    write_safetensors(path, specs, lambda n: arrays[n], metadata={"format": "pt"})
    (tmp_path / "config.json").write_text("{}")
    header, start = read_safetensors_header(path)
    assert set(header) == {"a", "b", "c"} and start % 8 == 0
    ck = SafetensorsCheckpoint(tmp_path)
    assert ck.dtype("b") == "BF16" and ck.shape("c") == (2, 2, 2)
    np.testing.assert_array_equal(ck.get("a"), arrays["a"])
    np.testing.assert_array_equal(
        ck.get("b"), torch.from_numpy(arrays["b"]).to(torch.bfloat16).float().numpy())
    np.testing.assert_array_equal(ck.get("c"), arrays["c"].astype(np.float16).astype(np.float32))
    assert ck.get("a").dtype == np.float32 and ck.get("a").flags.writeable


@pytest.fixture(scope="module")
def disk_checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("ck")
    ckpt, vq_dir, state = fx.make_checkpoint(root)
    return ckpt, state


def test_sharded_checkpoint_reads_every_tensor(disk_checkpoint):
    ckpt, state = disk_checkpoint
    index = json.loads((ckpt / "model.safetensors.index.json").read_text())
    assert sorted(set(index["weight_map"].values())) == [
        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    ck = SafetensorsCheckpoint(ckpt)
    assert ck.config["model_parallel_size"] == 2
    for name, t in state.items():
        assert ck.dtype(name) == "BF16"
        np.testing.assert_array_equal(ck.get(name), t.float().numpy())
    assert "model.vqmodel.quant_conv.bias" in ck


def test_reading_is_lazy_per_tensor(disk_checkpoint):
    """Opening reads headers only; each get() reads exactly that tensor's bytes."""
    ckpt, state = disk_checkpoint
    reads = []
    ck = SafetensorsCheckpoint(ckpt, read_hook=lambda n, b: reads.append((n, b)))
    assert reads == []
    name = "model.layers.1.mlp.up_proj.weight"
    ck.get(name)
    assert reads == [(name, state[name].numel() * 2)]


class _Tracking(WeightSource):
    """Wraps a source; records how many arrays it handed out are still alive at each get()."""

    def __init__(self, inner):
        self.inner = inner
        self.config = inner.config
        self.alive = []
        self.max_alive = 0
        self.gets = []

    def names(self):
        return self.inner.names()

    def __contains__(self, n):
        return n in self.inner

    def shape(self, n):
        return self.inner.shape(n)

    def dtype(self, n):
        return self.inner.dtype(n)

    def get(self, n, dtype=np.float32):
        self.alive = [r for r in self.alive if r() is not None]
        self.max_alive = max(self.max_alive, len(self.alive))
        arr = self.inner.get(n, dtype)
        self.alive.append(weakref.ref(arr))
        self.gets.append(n)
        return arr


def test_export_never_holds_two_checkpoint_tensors(disk_checkpoint, tmp_path):
    """The decoder export streams: every tensor is read once and released before the next."""
    ckpt, _ = disk_checkpoint
    src = _Tracking(SafetensorsCheckpoint(ckpt))
    cfg = pipeline.resolve_config(src)
    info = onnx_assembly.export_decoder(src, cfg, tmp_path, quiet=True)
    assert src.max_alive == 0
    assert src.gets == onnx_assembly.hf_weight_names(cfg)  # once each, in file order
    assert info.data_bytes >= sum(int(np.prod(s)) * 4 for s in
                                  onnx_assembly.expected_hf_shapes(cfg).values())


def test_single_file_checkpoint(tmp_path):
    cfg = tiny.tiny_config(hidden=32, layers=1, heads=2, vocab=8960)
    hf, state = tiny.random_checkpoint(cfg, 0)
    (tmp_path / "config.json").write_text(json.dumps(hf))
    names = onnx_assembly.hf_weight_names(cfg)
    write_safetensors(tmp_path / "model.safetensors",
                      [(n, "BF16", list(state[n].shape)) for n in names],
                      lambda n: state[n].float().numpy())
    ck = SafetensorsCheckpoint(tmp_path)
    assert sorted(ck.names()) == sorted(names)
    c = pipeline.resolve_config(ck)
    assert (c.hidden_size, c.num_layers, c.qk_norm_groups) == (32, 1, 2)
    assert pipeline.check_weights(ck, c) == []


def test_missing_config(tmp_path):
    with pytest.raises(CheckpointError, match="no config.json"):
        SafetensorsCheckpoint(tmp_path)


def test_missing_shard(disk_checkpoint, tmp_path):
    ckpt, _ = disk_checkpoint
    for f in ("config.json", "model.safetensors.index.json",
              "model-00001-of-00002.safetensors"):
        (tmp_path / f).symlink_to(ckpt / f)
    with pytest.raises(CheckpointError, match="missing shard .*model-00002-of-00002"):
        SafetensorsCheckpoint(tmp_path)


def test_truncated_shard(disk_checkpoint, tmp_path):
    ckpt, _ = disk_checkpoint
    for f in ("config.json", "model.safetensors.index.json",
              "model-00001-of-00002.safetensors"):
        (tmp_path / f).symlink_to(ckpt / f)
    data = (ckpt / "model-00002-of-00002.safetensors").read_bytes()
    (tmp_path / "model-00002-of-00002.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated"):
        SafetensorsCheckpoint(tmp_path)


def test_no_weights(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(CheckpointError, match="no model.safetensors"):
        SafetensorsCheckpoint(tmp_path)


def test_not_safetensors(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(struct.pack("<Q", 1 << 40) + b"xx")
    with pytest.raises(CheckpointError, match="not a safetensors file"):
        SafetensorsCheckpoint(tmp_path)


def _memory(cfg_changes=None, drop=None, reshape=None):
    cfg = tiny.tiny_config(hidden=32, layers=2, heads=4, vocab=8960)
    hf, state = tiny.random_checkpoint(cfg, 0)
    hf.update(cfg_changes or {})
    for n in drop or ():
        del state[n]
    for n, shape in (reshape or {}).items():
        state[n] = torch.zeros(shape)
    return MemoryCheckpoint(hf, state)


def test_config_errors_are_export_errors():
    with pytest.raises(pipeline.ExportError, match="num_key_value_heads"):
        pipeline.resolve_config(_memory({"num_key_value_heads": 2}))
    with pytest.raises(pipeline.ExportError, match="hidden_size"):
        pipeline.resolve_config(_memory({"hidden_size": 30}))
    with pytest.raises(pipeline.ExportError, match="num_hidden_layers"):
        pipeline.resolve_config(_memory({"num_hidden_layers": None}))
    with pytest.raises(pipeline.ExportError, match="rope_scaling"):
        pipeline.resolve_config(_memory({"rope_scaling": {"type": "linear", "factor": 2.0}}))


def test_weight_errors_name_the_tensor():
    src = _memory(drop=["model.layers.1.mlp.up_proj.weight"])
    cfg = pipeline.resolve_config(src)
    with pytest.raises(pipeline.ExportError, match="model.layers.1.mlp.up_proj.weight"):
        pipeline.check_weights(src, cfg)
    src = _memory(reshape={"model.layers.0.mlp.down_proj.weight": (32, 100)})
    with pytest.raises(pipeline.ExportError, match="down_proj.weight' has shape"):
        pipeline.check_weights(src, pipeline.resolve_config(src))


def test_qk_norm_rows_follow_the_weights():
    # an upstream-style conversion stores (num_heads, head_dim) rows: same after expansion
    cfg = tiny.tiny_config(hidden=32, layers=1, heads=4, vocab=8960, model_parallel_size=1)
    hf, state = tiny.random_checkpoint(cfg, 0)
    for n in list(state):
        if "_norm." in n:
            state[n] = state[n].repeat(4, 1)
    with pytest.warns(UserWarning, match="q/k-norm weights have 4 rows"):
        c = pipeline.resolve_config(MemoryCheckpoint(hf, state))
    assert c.qk_norm_groups == 4


def test_tied_embeddings_fall_back_to_embed_tokens():
    src = _memory({"tie_word_embeddings": True}, drop=["lm_head.weight"])
    cfg = pipeline.resolve_config(src)
    assert pipeline.check_weights(src, cfg) == []
    assert onnx_assembly.source_name(src, cfg, "lm_head.weight") == "model.embed_tokens.weight"


def test_chunked_conversion_and_float16_overflow(monkeypatch, tmp_path):
    from lumina_export import checkpoint as ckmod
    monkeypatch.setattr(ckmod, "CHUNK", 7)  # chunk boundaries inside rows
    x = np.random.RandomState(3).randn(5, 9).astype(np.float32) * 10
    bits = f32_to_bf16_bits(x)
    out = ckmod.convert_chunked(bits.reshape(-1), "BF16", (5, 9), np.float16)
    assert out.dtype == np.float16 and out.shape == (5, 9)
    np.testing.assert_array_equal(out, bf16_bits_to_f32(bits).astype(np.float16))
    with pytest.raises(ValueError, match="float16"):
        ckmod.convert_chunked(np.array([1.0, 7e4], np.float32), "F32", (2,), np.float16)
    # a checkpoint value beyond float16 stops a float16 export with a clear error
    cfg = tiny.tiny_config(hidden=32, layers=1, heads=2, vocab=8960)
    hf, state = tiny.random_checkpoint(cfg, 0)
    state["model.layers.0.mlp.up_proj.weight"][3, 4] = 1e6
    with pytest.raises(onnx_assembly.ExportOverflow, match="up_proj.*float16"):
        onnx_assembly.export_decoder(MemoryCheckpoint(hf, state), cfg, tmp_path, "float16",
                                     quiet=True)


def test_transposed_write_in_blocks(tmp_path):
    a = np.random.RandomState(4).randn(300, 70).astype(np.float16)
    w = onnx_assembly.ExternalDataWriter(tmp_path / "w.data")
    w.add("pad", np.ones(3, np.float32))
    t = w.add_transposed("a", a, block_bytes=1000)  # many column blocks
    sha, size = w.close()
    ext = {e.key: e.value for e in t.external_data}
    assert list(t.dims) == [70, 300] and int(ext["offset"]) % 64 == 0
    raw = (tmp_path / "w.data").read_bytes()
    got = np.frombuffer(raw[int(ext["offset"]):int(ext["offset"]) + int(ext["length"])],
                        np.float16).reshape(70, 300)
    np.testing.assert_array_equal(got, a.T)
    import hashlib
    assert hashlib.sha256(raw).hexdigest() == sha and size == len(raw)
