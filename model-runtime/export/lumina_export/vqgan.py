"""Meta's Chameleon VQGAN (a taming-transformers ``VQModel``), inference only.

Written from the description in ``shared/spec/lumina-mgpt.md`` §6.2. Module and parameter
names follow the taming naming so that Meta's ``vqgan.ckpt`` state dict loads as is:
``encoder.down.{i}.block.{j}.norm1.weight``, ``encoder.mid.attn_1.q.weight``,
``quantize.embedding.weight``, ``decoder.up.{i}.upsample.conv.weight`` and so on.

Public API: :func:`load_vqgan`, :func:`random_vqgan`, :data:`TINY_DDCONFIG`, :class:`VQModel`.
All models are returned in eval mode, float32, on the CPU.
"""

from __future__ import annotations

import collections
import copy
import io
import pickle
import warnings
import zipfile
from pathlib import Path
from typing import Dict, List, Mapping, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = [
    "TINY_DDCONFIG",
    "TINY_EMBED_DIM",
    "TINY_N_EMBED",
    "REAL_DDCONFIG",
    "VQModel",
    "load_vqgan",
    "random_vqgan",
    "vqgan_yaml_dict",
]

# Meta's tokenizer/vqgan.yaml (spec §6.2): 68.7M parameters.
REAL_DDCONFIG: Dict[str, object] = {
    "double_z": False,
    "z_channels": 256,
    "resolution": 512,
    "in_channels": 3,
    "out_ch": 3,
    "ch": 128,
    "ch_mult": [1, 1, 2, 2, 4],
    "num_res_blocks": 2,
    "attn_resolutions": [],
    "dropout": 0.0,
}

# Same topology (5 levels, downsampling 16, mid attention) at a fraction of the size.
# ch must be a multiple of 32 because every norm is GroupNorm(32) (Meta's layout; an optional
# ddconfig key ``norm_groups`` sets another group count for small models, default 32).
TINY_DDCONFIG: Dict[str, object] = {
    "double_z": False,
    "z_channels": 8,
    "resolution": 512,
    "in_channels": 3,
    "out_ch": 3,
    "ch": 32,
    "ch_mult": [1, 1, 1, 1, 1],  # five levels: downsampling 16; 32 channels keep the test bundle small
    "num_res_blocks": 1,
    "attn_resolutions": [],
    "dropout": 0.0,
}
TINY_EMBED_DIM = 8
TINY_N_EMBED = 8192  # the real token layout has 8192 image tokens (ids 4..8195)

_REQUIRED_DDCONFIG_KEYS = ("z_channels", "in_channels", "out_ch", "ch", "ch_mult", "num_res_blocks")


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------

def _norm(channels: int, groups: int = 32) -> nn.GroupNorm:
    """GroupNorm(32 groups, eps 1e-6, affine), the only normalisation in the model.

    ``groups`` is 32 in Meta's VQGAN (4 or more channels a group there); a small model with
    32-channel layers sets ddconfig ``norm_groups`` (8 keeps 4 channels a group: with one
    channel a group every norm is an instance norm that erases each channel's image mean,
    i.e. the colours)."""
    if channels % groups != 0:
        raise ValueError(f"GroupNorm({groups}) needs a channel count divisible by {groups}, "
                         f"got {channels}")
    return nn.GroupNorm(num_groups=groups, num_channels=channels, eps=1e-6, affine=True)


def _swish(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(x)


class ResnetBlock(nn.Module):
    """norm1 → swish → conv1 → norm2 → swish → dropout → conv2, plus a (1x1) shortcut."""

    def __init__(self, in_channels: int, out_channels: int, dropout: float = 0.0,
                 groups: int = 32):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.norm1 = _norm(in_channels, groups)
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1)
        self.norm2 = _norm(out_channels, groups)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1)
        if in_channels != out_channels:
            self.nin_shortcut = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(_swish(self.norm1(x)))
        h = self.conv2(self.dropout(_swish(self.norm2(h))))
        if self.in_channels != self.out_channels:
            x = self.nin_shortcut(x)
        return x + h


class AttnBlock(nn.Module):
    """Single-head self-attention over all H*W positions with 1x1 q/k/v/proj_out convs."""

    def __init__(self, channels: int, groups: int = 32):
        super().__init__()
        self.channels = channels
        self.norm = _norm(channels, groups)
        self.q = nn.Conv2d(channels, channels, kernel_size=1)
        self.k = nn.Conv2d(channels, channels, kernel_size=1)
        self.v = nn.Conv2d(channels, channels, kernel_size=1)
        self.proj_out = nn.Conv2d(channels, channels, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm(x)
        q = self.q(h).flatten(2)  # [B, C, N]
        k = self.k(h).flatten(2)  # [B, C, N]
        v = self.v(h).flatten(2)  # [B, C, N]
        scores = torch.bmm(q.transpose(1, 2), k) * (float(self.channels) ** -0.5)  # [B, Nq, Nk]
        weights = torch.softmax(scores, dim=2)
        out = torch.bmm(v, weights.transpose(1, 2))  # [B, C, Nq]
        out = out.reshape(x.shape)
        return x + self.proj_out(out)


class Downsample(nn.Module):
    """Zero pad right and bottom by one, then a 3x3 stride-2 convolution without padding."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, kernel_size=3, stride=2, padding=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(x, (0, 1, 0, 1), mode="constant", value=0.0))


class Upsample(nn.Module):
    """Nearest-neighbour x2, then a 3x3 convolution (no ConvTranspose)."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, kernel_size=3, stride=1, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class _Level(nn.Module):
    """One resolution level: ``block`` (ResnetBlocks), ``attn`` (maybe empty), resampler."""

    def __init__(self):
        super().__init__()
        self.block = nn.ModuleList()
        self.attn = nn.ModuleList()


class _Mid(nn.Module):
    def __init__(self, channels: int, dropout: float, groups: int = 32):
        super().__init__()
        self.block_1 = ResnetBlock(channels, channels, dropout, groups)
        self.attn_1 = AttnBlock(channels, groups)
        self.block_2 = ResnetBlock(channels, channels, dropout, groups)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block_2(self.attn_1(self.block_1(x)))


def _ddconfig_values(ddconfig: Mapping[str, object]):
    missing = [k for k in _REQUIRED_DDCONFIG_KEYS if k not in ddconfig]
    if missing:
        raise ValueError(f"ddconfig lacks required keys: {missing}")
    ch = int(ddconfig["ch"])
    ch_mult = [int(m) for m in ddconfig["ch_mult"]]
    if not ch_mult:
        raise ValueError("ddconfig.ch_mult must not be empty")
    return (
        ch,
        ch_mult,
        int(ddconfig["num_res_blocks"]),
        [int(r) for r in (ddconfig.get("attn_resolutions") or [])],
        float(ddconfig.get("dropout", 0.0) or 0.0),
        int(ddconfig.get("resolution", 256)),
        int(ddconfig["in_channels"]),
        int(ddconfig["out_ch"]),
        int(ddconfig["z_channels"]),
        bool(ddconfig.get("double_z", False)),
    )


def _norm_groups(ddconfig: Mapping[str, object]) -> int:
    return int(ddconfig.get("norm_groups", 32) or 32)


class Encoder(nn.Module):
    def __init__(self, ddconfig: Mapping[str, object]):
        super().__init__()
        (ch, ch_mult, n_res, attn_res, dropout, resolution, in_channels, _out_ch, z_channels,
         double_z) = _ddconfig_values(ddconfig)
        g = _norm_groups(ddconfig)
        self.num_resolutions = len(ch_mult)
        self.num_res_blocks = n_res
        self.conv_in = nn.Conv2d(in_channels, ch, kernel_size=3, stride=1, padding=1)

        in_mult = [1] + ch_mult
        curr_res = resolution
        block_in = ch
        self.down = nn.ModuleList()
        for i_level in range(self.num_resolutions):
            level = _Level()
            block_in = ch * in_mult[i_level]
            block_out = ch * ch_mult[i_level]
            for _ in range(n_res):
                level.block.append(ResnetBlock(block_in, block_out, dropout, g))
                block_in = block_out
                if curr_res in attn_res:
                    level.attn.append(AttnBlock(block_in, g))
            if i_level != self.num_resolutions - 1:
                level.downsample = Downsample(block_in)
                curr_res //= 2
            self.down.append(level)

        self.mid = _Mid(block_in, dropout, g)
        self.norm_out = _norm(block_in, g)
        self.conv_out = nn.Conv2d(block_in, 2 * z_channels if double_z else z_channels,
                                  kernel_size=3, stride=1, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv_in(x)
        for i_level, level in enumerate(self.down):
            for i_block, block in enumerate(level.block):
                h = block(h)
                if len(level.attn) > 0:
                    h = level.attn[i_block](h)
            if i_level != self.num_resolutions - 1:
                h = level.downsample(h)
        h = self.mid(h)
        return self.conv_out(_swish(self.norm_out(h)))


class Decoder(nn.Module):
    def __init__(self, ddconfig: Mapping[str, object]):
        super().__init__()
        (ch, ch_mult, n_res, attn_res, dropout, resolution, _in_channels, out_ch, z_channels,
         _double_z) = _ddconfig_values(ddconfig)
        g = _norm_groups(ddconfig)
        self.num_resolutions = len(ch_mult)
        self.num_res_blocks = n_res
        block_in = ch * ch_mult[-1]
        curr_res = resolution // 2 ** (self.num_resolutions - 1)
        self.conv_in = nn.Conv2d(z_channels, block_in, kernel_size=3, stride=1, padding=1)
        self.mid = _Mid(block_in, dropout, g)

        levels: List[_Level] = []
        for i_level in reversed(range(self.num_resolutions)):
            level = _Level()
            block_out = ch * ch_mult[i_level]
            for _ in range(n_res + 1):
                level.block.append(ResnetBlock(block_in, block_out, dropout, g))
                block_in = block_out
                if curr_res in attn_res:
                    level.attn.append(AttnBlock(block_in, g))
            if i_level != 0:
                level.upsample = Upsample(block_in)
                curr_res *= 2
            levels.insert(0, level)  # up[0] is the finest level, as in the checkpoint
        self.up = nn.ModuleList(levels)

        self.norm_out = _norm(block_in, g)
        self.conv_out = nn.Conv2d(block_in, out_ch, kernel_size=3, stride=1, padding=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.mid(self.conv_in(z))
        for i_level in reversed(range(self.num_resolutions)):
            level = self.up[i_level]
            for i_block, block in enumerate(level.block):
                h = block(h)
                if len(level.attn) > 0:
                    h = level.attn[i_block](h)
            if i_level != 0:
                h = level.upsample(h)
        return self.conv_out(_swish(self.norm_out(h)))  # no tanh, not clamped


def squared_distances(z: torch.Tensor, e_sq: torch.Tensor, e_kernel: torch.Tensor) -> torch.Tensor:
    """``|z|² + |e|² − 2 z·e`` for z [B, D, h, w], e_sq [1, N, 1, 1], e_kernel [N, D, 1, 1].

    The dot products are a 1x1 convolution, so an exported graph needs no reshape of the
    spatial axes (dynamic H and W come for free) and the argmin runs over axis 1.
    """
    z_sq = torch.sum(z * z, dim=1, keepdim=True)  # [B, 1, h, w]
    return z_sq + e_sq - 2.0 * F.conv2d(z, e_kernel)


class VectorQuantizer(nn.Module):
    """Codebook ``embedding.weight`` [n_embed, embed_dim]; nearest code by squared L2."""

    def __init__(self, n_embed: int, embed_dim: int):
        super().__init__()
        self.n_embed = n_embed
        self.embed_dim = embed_dim
        self.embedding = nn.Embedding(n_embed, embed_dim)

    def distances(self, z: torch.Tensor) -> torch.Tensor:
        """Squared distances ``|z|² + |e|² − 2 z·e`` of z [B, D, h, w] → [B, n_embed, h, w]."""
        e = self.embedding.weight  # [N, D]
        return squared_distances(z, torch.sum(e * e, dim=1).reshape(1, -1, 1, 1),
                                 e.reshape(e.shape[0], e.shape[1], 1, 1))

    def codes(self, z: torch.Tensor) -> torch.Tensor:
        """Index of the nearest codebook entry (first one on ties) → int64 [B, h, w]."""
        return torch.argmin(self.distances(z), dim=1)

    def lookup(self, codes: torch.Tensor) -> torch.Tensor:
        """Codes int64 [B, h, w] → quantised latents [B, D, h, w]."""
        return F.embedding(codes, self.embedding.weight).permute(0, 3, 1, 2)


class VQModel(nn.Module):
    """encoder → quant_conv → quantize | quantize.lookup → post_quant_conv → decoder."""

    def __init__(self, ddconfig: Mapping[str, object], n_embed: int, embed_dim: int):
        super().__init__()
        self.ddconfig = copy.deepcopy(dict(ddconfig))
        self.n_embed = int(n_embed)
        self.embed_dim = int(embed_dim)
        self.encoder = Encoder(ddconfig)
        self.decoder = Decoder(ddconfig)
        self.quantize = VectorQuantizer(self.n_embed, self.embed_dim)
        z_channels = int(ddconfig["z_channels"])
        self.quant_conv = nn.Conv2d(z_channels, self.embed_dim, kernel_size=1)
        self.post_quant_conv = nn.Conv2d(self.embed_dim, z_channels, kernel_size=1)

    @property
    def downsample(self) -> int:
        return 2 ** (len(self.ddconfig["ch_mult"]) - 1)

    def encode_latents(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels [B, 3, H, W] in [-1, 1] → pre-quantisation latents [B, embed_dim, h, w]."""
        return self.quant_conv(self.encoder(pixels))

    def encode_codes(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels [B, 3, H, W] in [-1, 1] → codes int64 [B, H/16, W/16]."""
        return self.quantize.codes(self.encode_latents(pixels))

    def decode_codes(self, codes: torch.Tensor) -> torch.Tensor:
        """codes int64 [B, h, w] → pixels float32 [B, 3, 16h, 16w], not clamped."""
        return self.decoder(self.post_quant_conv(self.quantize.lookup(codes)))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.decode_codes(self.encode_codes(pixels))


# ---------------------------------------------------------------------------------------------
# Loading Meta's files
# ---------------------------------------------------------------------------------------------

def vqgan_yaml_dict(ddconfig: Mapping[str, object], n_embed: int, embed_dim: int) -> dict:
    """A ``vqgan.yaml`` document in Meta's structure (used by tests and the tiny exporter)."""
    return {
        "model": {
            "target": "taming.models.vqgan.VQModel",
            "params": {
                "embed_dim": int(embed_dim),
                "n_embed": int(n_embed),
                "ddconfig": copy.deepcopy(dict(ddconfig)),
                "lossconfig": {
                    "target": "taming.modules.losses.vqperceptual.VQLPIPSWithDiscriminator",
                    "params": {"disc_conditional": False, "disc_in_channels": 3,
                               "disc_start": 10000, "disc_weight": 0.8, "codebook_weight": 1.0},
                },
            },
        }
    }


def _read_yaml(path: Path) -> Tuple[dict, int, int]:
    import yaml  # Debian python3-yaml

    with open(path, "r", encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    try:
        params = doc["model"]["params"]
        ddconfig = dict(params["ddconfig"])
        n_embed = int(params["n_embed"])
        embed_dim = int(params["embed_dim"])
    except (KeyError, TypeError) as e:
        raise ValueError(
            f"{path}: not a taming VQModel config (expected model.params.embed_dim, "
            f"model.params.n_embed and model.params.ddconfig): missing {e}") from None
    return ddconfig, n_embed, embed_dim


class _Stub:
    """Stands in for any non-tensor class found in a checkpoint; swallows its state."""

    def __init__(self, *args, **kwargs):
        self._args = args

    def __setstate__(self, state):
        self._state = state

    def __call__(self, *args, **kwargs):  # a pickled function reference that gets called
        return _Stub()

    # pickle's SETITEM(S) / APPEND(S) opcodes on stubbed containers
    def __setitem__(self, key, value):
        pass

    def append(self, item):
        pass

    def extend(self, items):
        pass


class _StorageType:
    def __init__(self, dtype: torch.dtype):
        self.dtype = dtype


_STORAGE_DTYPES = {
    "FloatStorage": torch.float32, "DoubleStorage": torch.float64,
    "HalfStorage": torch.float16, "BFloat16Storage": torch.bfloat16,
    "LongStorage": torch.int64, "IntStorage": torch.int32, "ShortStorage": torch.int16,
    "CharStorage": torch.int8, "ByteStorage": torch.uint8, "BoolStorage": torch.bool,
}


def _rebuild_tensor(storage, storage_offset, size, stride, *_ignored):
    return storage.as_strided(tuple(size), tuple(stride), int(storage_offset))


def _rebuild_parameter(data, *_ignored):
    return data


def _rebuild_from_type(func, _new_type, args, _state=None):
    return func(*args)


_SAFE_BUILTINS = {"set": set, "frozenset": frozenset, "slice": slice, "complex": complex,
                  "tuple": tuple, "list": list, "dict": dict, "bytearray": bytearray}


class _CheckpointUnpickler(pickle.Unpickler):
    """Reads ``data.pkl`` of a torch zip checkpoint without importing anything from it: tensor
    rebuilding goes to local functions, every other class becomes an inert :class:`_Stub`."""

    def __init__(self, data: bytes, archive: "zipfile.ZipFile", prefix: str):
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self._archive = archive
        self._prefix = prefix
        self._storages: Dict[str, torch.Tensor] = {}

    def find_class(self, module, name):
        if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch._utils" and name in ("_rebuild_parameter",
                                                 "_rebuild_parameter_with_state"):
            return _rebuild_parameter
        if module == "torch._tensor" and name == "_rebuild_from_type_v2":
            return _rebuild_from_type
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(_STORAGE_DTYPES[name])
        if module == "torch" and isinstance(getattr(torch, name, None), torch.dtype):
            return getattr(torch, name)
        if module == "torch" and name == "Size":
            return tuple
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "builtins" and name in _SAFE_BUILTINS:
            return _SAFE_BUILTINS[name]
        return _Stub

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) >= 3 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        storage_type, key = pid[1], str(pid[2])
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(f"unsupported storage type in {pid!r}")
        if key not in self._storages:
            raw = bytearray(self._archive.read(f"{self._prefix}data/{key}"))
            if len(raw) == 0:
                self._storages[key] = torch.empty(0, dtype=storage_type.dtype)
            else:
                self._storages[key] = torch.frombuffer(raw, dtype=storage_type.dtype)
        return self._storages[key]


def _read_zip_checkpoint(path: Path):
    with zipfile.ZipFile(path) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("data.pkl")
                   and n.count("/") == 1]
        if not pickles:
            raise ValueError(f"{path}: no data.pkl in the checkpoint archive")
        prefix = pickles[0][: -len("data.pkl")]
        order = prefix + "byteorder"
        if order in archive.namelist() and archive.read(order).strip() != b"little":
            raise ValueError(f"{path}: big-endian checkpoints are not supported")
        return _CheckpointUnpickler(archive.read(pickles[0]), archive, prefix).load()


def _torch_load_tensors(path: Path):
    """``torch.load(weights_only=True)``; when that refuses the file (a training checkpoint
    that also holds config or callback objects), the archive's pickle is read with an
    unpickler that rebuilds tensors itself and replaces every other class by an inert stub,
    so no code named in the file is imported or executed."""
    try:
        return torch.load(str(path), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        first_error = e
    if not zipfile.is_zipfile(str(path)):
        raise ValueError(f"{path}: torch.load(weights_only=True) refused the checkpoint and it is "
                         f"not a zip archive that can be read safely otherwise: {first_error}")
    warnings.warn(f"{path}: the checkpoint holds non-tensor objects; reading only its tensors")
    return _read_zip_checkpoint(path)


def _model_key(name: str) -> bool:
    return name.split(".", 1)[0] in {"encoder", "decoder", "quantize", "quant_conv",
                                     "post_quant_conv"}


def load_state_dict_checked(model: VQModel, state_dict: Mapping[str, torch.Tensor],
                            source: str = "state dict") -> None:
    """Copies the model's weights from ``state_dict`` (cast to float32).

    Keys the model does not have (``loss.*`` discriminator/LPIPS weights, …) are ignored, as
    with taming's ``strict=False``; missing model keys and shape mismatches raise ValueError.
    """
    own = model.state_dict()
    missing = [k for k in own if k not in state_dict]
    if missing:
        shown = ", ".join(missing[:20]) + (f", … ({len(missing)} in all)" if len(missing) > 20
                                           else "")
        raise ValueError(f"{source}: missing VQGAN weights: {shown}")
    bad_shape = [f"{k}: checkpoint {tuple(state_dict[k].shape)} vs model {tuple(v.shape)}"
                 for k, v in own.items() if tuple(state_dict[k].shape) != tuple(v.shape)]
    if bad_shape:
        raise ValueError(f"{source}: VQGAN weight shapes do not match the config: "
                         + "; ".join(bad_shape[:10]))
    stray = [k for k in state_dict if k not in own and _model_key(k)]
    if stray:
        warnings.warn(f"{source}: ignoring {len(stray)} unexpected model keys, e.g. {stray[:5]}")
    with torch.no_grad():
        for k, v in own.items():
            v.copy_(state_dict[k].detach().to(dtype=v.dtype))


def load_vqgan(directory) -> VQModel:
    """Loads Meta's Chameleon VQGAN from ``directory``/``vqgan.yaml`` and ``vqgan.ckpt``."""
    directory = Path(directory)
    yaml_path = directory / "vqgan.yaml"
    ckpt_path = directory / "vqgan.ckpt"
    for p in (yaml_path, ckpt_path):
        if not p.is_file():
            raise FileNotFoundError(
                f"VQGAN file not found: {p} (expected Meta's Chameleon tokenizer folder "
                "with vqgan.yaml and vqgan.ckpt)")
    ddconfig, n_embed, embed_dim = _read_yaml(yaml_path)
    model = VQModel(ddconfig, n_embed, embed_dim)

    ckpt = _torch_load_tensors(ckpt_path)
    if isinstance(ckpt, Mapping) and "state_dict" in ckpt:
        state_dict = ckpt["state_dict"]
    elif isinstance(ckpt, Mapping) and any(isinstance(k, str) and _model_key(k) for k in ckpt):
        state_dict = ckpt  # a bare state dict
    else:
        keys = list(ckpt.keys())[:10] if isinstance(ckpt, Mapping) else type(ckpt).__name__
        raise ValueError(f"{ckpt_path}: no 'state_dict' in the checkpoint (found {keys})")
    if not isinstance(state_dict, Mapping):
        raise ValueError(f"{ckpt_path}: 'state_dict' is a {type(state_dict).__name__}, "
                         "not a mapping of tensors")
    state_dict = {k: v for k, v in state_dict.items() if isinstance(v, torch.Tensor)}
    load_state_dict_checked(model, state_dict, source=str(ckpt_path))
    return model.float().eval()


# ---------------------------------------------------------------------------------------------
# Random weights for test bundles
# ---------------------------------------------------------------------------------------------

def _smooth_random_images(gen: torch.Generator, count: int, size: int) -> torch.Tensor:
    """Random images in [-1, 1]: coarse noise at a few scales, upsampled and summed."""
    imgs = torch.zeros(count, 3, size, size)
    for cells in (2, 4, 8, 16):
        noise = torch.rand(count, 3, cells, cells, generator=gen) * 2 - 1
        imgs += F.interpolate(noise, size=(size, size), mode="bilinear", align_corners=False)
    imgs += 0.1 * (torch.rand(count, 3, size, size, generator=gen) * 2 - 1)
    return torch.clamp(imgs / 2.0, -1.0, 1.0)


def random_vqgan(ddconfig: Mapping[str, object], n_embed: int, embed_dim: int,
                 seed: int, calibration_images: int = 8, calibration_size: int = 128) -> VQModel:
    """A VQModel with deterministic random weights whose codebook is spread like the
    encoder's outputs, so that encoding a picture gives many distinct, well-separated codes.

    The layers use PyTorch's default initialisation under ``seed``. The codebook entries are
    then latent vectors of random smooth images (plus a little noise), so they cover the region
    the encoder actually produces instead of a tiny ball around zero.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        model = VQModel(ddconfig, n_embed, embed_dim).float().eval()
    gen = torch.Generator().manual_seed(int(seed) + 1)
    ds = model.downsample
    size = max(calibration_size // ds, 1) * ds
    with torch.no_grad():
        imgs = _smooth_random_images(gen, calibration_images, size)
        z = model.encode_latents(imgs)  # [B, D, h, w]
        samples = z.permute(0, 2, 3, 1).reshape(-1, embed_dim)
        mean = samples.mean(dim=0)
        std = samples.std(dim=0, unbiased=False).clamp_min(1e-6)
        # Standardise the latents (z' = (z - mean) / std, about unit variance per channel) so
        # that the code margins are far above float32 noise, and fold the inverse map into
        # post_quant_conv so the decoder sees what it would have seen.
        qc_w = model.quant_conv.weight  # [D, Z, 1, 1]
        qc_w.copy_(qc_w / std.reshape(-1, 1, 1, 1))
        model.quant_conv.bias.copy_((model.quant_conv.bias - mean) / std)
        pq_w = model.post_quant_conv.weight  # [Z, D, 1, 1]
        model.post_quant_conv.bias.add_(pq_w[:, :, 0, 0] @ mean)
        pq_w.copy_(pq_w * std.reshape(1, -1, 1, 1))
        samples = (samples - mean) / std
        pick = torch.randint(0, samples.shape[0], (n_embed,), generator=gen)
        codebook = samples[pick] + 0.5 * torch.randn(n_embed, embed_dim, generator=gen)
        model.quantize.embedding.weight.copy_(codebook)
    return model
