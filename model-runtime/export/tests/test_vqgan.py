"""Tests of lumina_export.vqgan and lumina_export.vq_export (the VQGAN and its ONNX export)."""

import sys
import warnings
from pathlib import Path

import pytest
import torch
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lumina_export.vqgan import (  # noqa: E402
    REAL_DDCONFIG,
    TINY_DDCONFIG,
    VQModel,
    load_vqgan,
    random_vqgan,
    vqgan_yaml_dict,
)
from lumina_export.vq_export import (  # noqa: E402
    code_margins,
    export_vq_decoder,
    export_vq_encoder,
    synthetic_rgb_image,
    write_vq_references,
)

# Two levels (downsampling 2) with attention at resolution 16, so that level attention keys
# (encoder.down.1.attn.0.*, decoder.up.1.attn.{0,1}.*) are covered too.
SMALL_DDCONFIG = {
    "double_z": False, "z_channels": 4, "resolution": 32, "in_channels": 3, "out_ch": 3,
    "ch": 32, "ch_mult": [1, 2], "num_res_blocks": 1, "attn_resolutions": [16], "dropout": 0.0,
}
SMALL_N_EMBED = 64
SMALL_EMBED_DIM = 4

CALLS = []


def _record_call(*args):
    """Would record a call if a checkpoint's pickle managed to execute it."""
    CALLS.append(args)
    return None


class _Hostile:
    """Pickles as a call to _record_call: loading must not execute it."""

    def __reduce__(self):
        return (_record_call, ("executed",))


def _random_state_dict(seed: int):
    torch.manual_seed(seed)
    model = VQModel(SMALL_DDCONFIG, SMALL_N_EMBED, SMALL_EMBED_DIM)
    return {k: torch.randn_like(v) * 0.2 for k, v in model.state_dict().items()}


def _write_meta_dir(directory: Path, state_dict, extra=None):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "vqgan.yaml", "w") as f:
        yaml.safe_dump(vqgan_yaml_dict(SMALL_DDCONFIG, SMALL_N_EMBED, SMALL_EMBED_DIM), f)
    sd = dict(state_dict)
    sd["loss.discriminator.main.0.weight"] = torch.randn(8, 3, 4, 4)
    sd["loss.perceptual_loss.net.slice1.0.bias"] = torch.randn(8)
    sd["loss.logvar"] = torch.zeros(())
    ckpt = {"state_dict": sd, "global_step": 123, "epoch": 4}
    if extra:
        ckpt.update(extra)
    torch.save(ckpt, directory / "vqgan.ckpt")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    directory = tmp_path_factory.mktemp("meta_vqgan")
    sd = _random_state_dict(7)
    _write_meta_dir(directory, sd)
    return directory, sd


@pytest.fixture(scope="module")
def tiny():
    return random_vqgan(TINY_DDCONFIG, 8192, 8, seed=1)


def test_load_vqgan_restores_saved_weights(saved):
    directory, sd = saved
    model = load_vqgan(directory)
    assert not model.training
    loaded = model.state_dict()
    assert set(loaded) == set(sd)
    for k, v in sd.items():
        assert loaded[k].dtype == torch.float32
        assert torch.equal(loaded[k], v), k
    assert model.n_embed == SMALL_N_EMBED and model.embed_dim == SMALL_EMBED_DIM


def test_state_dict_uses_taming_names(saved):
    _, sd = saved
    expected = [
        "encoder.conv_in.weight", "encoder.down.0.block.0.norm1.weight",
        "encoder.down.0.block.0.conv1.weight", "encoder.down.0.block.0.norm2.bias",
        "encoder.down.0.block.0.conv2.weight", "encoder.down.0.downsample.conv.weight",
        "encoder.down.1.block.0.nin_shortcut.weight", "encoder.down.1.attn.0.norm.weight",
        "encoder.down.1.attn.0.q.weight", "encoder.mid.block_1.conv1.weight",
        "encoder.mid.attn_1.norm.weight", "encoder.mid.attn_1.q.weight",
        "encoder.mid.attn_1.k.weight", "encoder.mid.attn_1.v.weight",
        "encoder.mid.attn_1.proj_out.weight", "encoder.mid.block_2.conv2.bias",
        "encoder.norm_out.weight", "encoder.conv_out.weight", "quant_conv.weight",
        "quantize.embedding.weight", "post_quant_conv.bias", "decoder.conv_in.weight",
        "decoder.mid.block_1.norm1.weight", "decoder.mid.attn_1.proj_out.bias",
        "decoder.up.1.block.1.conv2.weight", "decoder.up.1.attn.1.k.weight",
        "decoder.up.1.upsample.conv.weight", "decoder.up.0.block.0.nin_shortcut.weight",
        "decoder.up.0.block.1.conv1.weight", "decoder.norm_out.bias", "decoder.conv_out.weight",
    ]
    for k in expected:
        assert k in sd, k
    assert not any("upsample" in k for k in sd if k.startswith("decoder.up.0."))
    assert not any("downsample" in k for k in sd if k.startswith("encoder.down.1."))
    assert not any("temb" in k or "conv_shortcut" in k for k in sd)
    assert sd["quantize.embedding.weight"].shape == (SMALL_N_EMBED, SMALL_EMBED_DIM)


def test_real_config_matches_spec_sizes():
    model = VQModel(REAL_DDCONFIG, 8192, 256)
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert count(model.encoder) == 27_194_880
    assert count(model.decoder) == 39_294_851
    assert count(model) == 68_718_467
    sd = model.state_dict()
    assert {k.split(".")[4] for k in sd if k.startswith("decoder.up.4.block.")} == {"0", "1", "2"}
    assert "decoder.up.4.upsample.conv.weight" in sd and "decoder.up.0.upsample.conv.weight" not in sd
    assert "encoder.down.3.downsample.conv.weight" in sd
    assert "encoder.down.4.downsample.conv.weight" not in sd
    assert not any(".attn." in k for k in sd)  # attn_resolutions: [] → mid attention only


def test_encoder_argmin_is_nearest_code(saved):
    directory, _ = saved
    model = load_vqgan(directory)
    pixels = torch.rand(2, 3, 24, 40, generator=torch.Generator().manual_seed(3)) * 2 - 1
    with torch.no_grad():
        codes = model.encode_codes(pixels)
        z = model.encode_latents(pixels).permute(0, 2, 3, 1).reshape(-1, SMALL_EMBED_DIM)
        e = model.quantize.embedding.weight
        brute = ((z[:, None, :].double() - e[None, :, :].double()) ** 2).sum(-1)
    assert codes.shape == (2, 12, 20) and codes.dtype == torch.int64
    best2 = torch.topk(brute, 2, dim=1, largest=False).values
    clear = (best2[:, 1] - best2[:, 0]) > 1e-4
    assert clear.float().mean() > 0.9
    assert torch.equal(codes.reshape(-1)[clear], brute.argmin(1)[clear])


def test_decode_shapes(saved, tiny):
    model = load_vqgan(saved[0])
    codes = torch.randint(0, SMALL_N_EMBED, (1, 3, 5))
    with torch.no_grad():
        assert model.decode_codes(codes).shape == (1, 3, 6, 10)
        pixels = synthetic_rgb_image(64, 96, seed=1)
        tiny_codes = tiny.encode_codes(pixels)
        assert tiny_codes.shape == (1, 4, 6)
        assert tiny.decode_codes(tiny_codes).shape == (1, 3, 64, 96)
        assert tiny.decode_codes(torch.zeros(1, 2, 7, dtype=torch.int64)).shape == (1, 3, 32, 112)


def test_random_tiny_vqgan_gives_distinct_well_separated_codes(tiny):
    pixels = synthetic_rgb_image(64, 96, seed=1)
    codes, margin = code_margins(tiny, pixels)
    assert len(torch.unique(codes)) >= 16  # of 24 positions
    assert float(margin.min()) > 1e-3
    again = random_vqgan(TINY_DDCONFIG, 8192, 8, seed=1)
    for (k, a), b in zip(tiny.state_dict().items(), again.state_dict().values()):
        assert torch.equal(a, b), k
    other = random_vqgan(TINY_DDCONFIG, 8192, 8, seed=2)
    assert not torch.equal(other.quantize.embedding.weight, tiny.quantize.embedding.weight)


def test_synthetic_image_is_deterministic_and_in_range():
    a = synthetic_rgb_image(64, 96, seed=5)
    b = synthetic_rgb_image(64, 96, seed=5)
    assert a.shape == (1, 3, 64, 96) and a.dtype == torch.float32
    assert torch.equal(a, b)
    assert float(a.min()) >= -1.0 and float(a.max()) <= 1.0
    assert float(a.std()) > 0.2


def _dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


@pytest.mark.parametrize("which", ["tiny", "small"])
def test_exported_graphs_pass_checker_with_dynamic_axes(tmp_path, tiny, saved, which):
    import onnx

    model = tiny if which == "tiny" else load_vqgan(saved[0])
    enc, dec = tmp_path / "vq_encoder.onnx", tmp_path / "vq_decoder.onnx"
    export_vq_encoder(model, enc)
    export_vq_decoder(model, dec)
    for path in (enc, dec):
        onnx.checker.check_model(str(path))
    e = onnx.load(str(enc))
    d = onnx.load(str(dec))
    assert [i.name for i in e.graph.input] == ["pixels"]
    assert [o.name for o in e.graph.output] == ["codes"]
    assert [i.name for i in d.graph.input] == ["codes"]
    assert [o.name for o in d.graph.output] == ["pixels"]
    assert e.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert e.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.INT64
    assert d.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.INT64
    assert d.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert _dims(e.graph.input[0]) == [1, 3, "height", "width"]
    assert _dims(d.graph.input[0]) == [1, "code_height", "code_width"]
    assert _dims(d.graph.output[0]) == [1, 3, "height", "width"]
    assert _dims(e.graph.output[0])[1:] == ["code_height", "code_width"]
    assert e.opset_import[0].version == 17
    ops = {n.op_type for n in e.graph.node} | {n.op_type for n in d.graph.node}
    assert "ConvTranspose" not in ops and "ArgMin" in ops and "Resize" in ops
    init_names = {i.name for i in e.graph.initializer}
    assert "encoder.conv_in.weight" in init_names and "quant_conv.weight" in init_names
    tensors = list(e.graph.initializer) + [a.t for n in e.graph.node if n.op_type == "Constant"
                                           for a in n.attribute if a.name == "value"]
    shapes = [list(t.dims) for t in tensors]
    n, dim = model.n_embed, model.embed_dim
    assert shapes.count([n, dim]) + shapes.count([n, dim, 1, 1]) == 1  # codebook stored once
    assert "quantize.embedding.weight" in {i.name for i in d.graph.initializer}


def test_write_vq_references(tmp_path, tiny):
    import numpy as np

    entries = write_vq_references(tiny, tmp_path, seed=1)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["name"] == "rgb-64x96"
    assert entry["pixels"] == {"path": "vq-pixels.f32", "shape": [1, 3, 64, 96]}
    assert entry["codes"] == {"path": "vq-codes.i64", "shape": [1, 4, 6]}
    assert entry["code_margin"] == {"path": "vq-margin.f32", "shape": [1, 4, 6]}
    assert entry["decoded"] == {"path": "vq-decoded.f32", "shape": [1, 3, 64, 96]}
    for key, dtype in (("pixels", "<f4"), ("codes", "<i8"), ("code_margin", "<f4"),
                       ("decoded", "<f4")):
        raw = (tmp_path / entry[key]["path"]).read_bytes()
        assert len(raw) == int(np.prod(entry[key]["shape"])) * np.dtype(dtype).itemsize
    pixels = np.frombuffer((tmp_path / "vq-pixels.f32").read_bytes(), "<f4").reshape(1, 3, 64, 96)
    codes = np.frombuffer((tmp_path / "vq-codes.i64").read_bytes(), "<i8").reshape(1, 4, 6)
    margin = np.frombuffer((tmp_path / "vq-margin.f32").read_bytes(), "<f4")
    decoded = np.frombuffer((tmp_path / "vq-decoded.f32").read_bytes(), "<f4").reshape(1, 3, 64, 96)
    assert np.array_equal(pixels, synthetic_rgb_image(64, 96, seed=1).numpy())
    with torch.no_grad():
        assert np.array_equal(codes, tiny.encode_codes(torch.from_numpy(pixels.copy())).numpy())
        expect = tiny.decode_codes(torch.from_numpy(codes.copy())).numpy()
    assert np.allclose(decoded, expect, atol=1e-6)
    assert (margin >= 0).all() and codes.min() >= 0 and codes.max() < 8192
    assert float(np.abs(decoded).max()) > 0.0


def test_missing_model_key_is_named(tmp_path):
    sd = _random_state_dict(8)
    del sd["encoder.mid.attn_1.q.weight"]
    _write_meta_dir(tmp_path, sd)
    with pytest.raises(ValueError, match=r"missing VQGAN weights: encoder\.mid\.attn_1\.q\.weight"):
        load_vqgan(tmp_path)


def test_shape_mismatch_is_named(tmp_path):
    sd = _random_state_dict(8)
    sd["quantize.embedding.weight"] = torch.zeros(SMALL_N_EMBED + 1, SMALL_EMBED_DIM)
    _write_meta_dir(tmp_path, sd)
    with pytest.raises(ValueError, match=r"quantize\.embedding\.weight"):
        load_vqgan(tmp_path)


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="vqgan.yaml"):
        load_vqgan(tmp_path)
    (tmp_path / "vqgan.yaml").write_text(
        yaml.safe_dump(vqgan_yaml_dict(SMALL_DDCONFIG, SMALL_N_EMBED, SMALL_EMBED_DIM)))
    with pytest.raises(FileNotFoundError, match="vqgan.ckpt"):
        load_vqgan(tmp_path)


def test_bad_yaml_is_named(tmp_path):
    (tmp_path / "vqgan.yaml").write_text("model:\n  params:\n    embed_dim: 4\n")
    torch.save({"state_dict": {}}, tmp_path / "vqgan.ckpt")
    with pytest.raises(ValueError, match="n_embed"):
        load_vqgan(tmp_path)


def test_training_checkpoint_objects_are_not_executed(tmp_path):
    sd = _random_state_dict(9)
    _write_meta_dir(tmp_path, sd, extra={"hyper_parameters": _Hostile(),
                                         "callbacks": {"ModelCheckpoint": [_Hostile()]}})
    CALLS.clear()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        model = load_vqgan(tmp_path)
    assert CALLS == []
    assert torch.equal(model.state_dict()["decoder.conv_out.weight"], sd["decoder.conv_out.weight"])
