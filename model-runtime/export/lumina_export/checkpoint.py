"""Reading (and, for tests, writing) Hugging Face checkpoints without the safetensors package.

A checkpoint directory holds ``config.json`` and either one ``model.safetensors`` or shards
listed in ``model.safetensors.index.json`` (``{"weight_map": {tensor name: shard file}}``).

safetensors format: 8-byte little-endian header length N, N bytes of JSON
``{name: {"dtype": "BF16", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}``,
then the raw little-endian tensor data (offsets relative to the end of the header).

Tensors are read lazily, one at a time, straight from the file (no memory map, so reading one
tensor never keeps pages of another resident): :meth:`WeightSource.get` returns a fresh float32
array. bfloat16 becomes float32 exactly (``uint16 -> uint32 << 16``).
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "CheckpointError",
    "WeightSource",
    "SafetensorsCheckpoint",
    "MemoryCheckpoint",
    "open_checkpoint",
    "read_safetensors_header",
    "write_safetensors",
    "bf16_bits_to_f32",
    "f32_to_bf16_bits",
]


class CheckpointError(Exception):
    """A checkpoint file is missing or malformed; the message names the file and the fix."""


# safetensors dtype -> (numpy dtype of the stored bits, bytes per element)
_ST_DTYPES: Dict[str, Tuple[np.dtype, int]] = {
    "F32": (np.dtype("<f4"), 4),
    "F16": (np.dtype("<f2"), 2),
    "BF16": (np.dtype("<u2"), 2),
    "F64": (np.dtype("<f8"), 8),
    "I64": (np.dtype("<i8"), 8),
    "I32": (np.dtype("<i4"), 4),
    "I16": (np.dtype("<i2"), 2),
    "I8": (np.dtype("i1"), 1),
    "U8": (np.dtype("u1"), 1),
    "BOOL": (np.dtype("?"), 1),
}

_MAX_HEADER = 100 * 1024 * 1024


def bf16_bits_to_f32(bits: np.ndarray) -> np.ndarray:
    """bfloat16 bit patterns (uint16) -> float32 (exact); one float32-sized allocation."""
    wide = bits.astype(np.uint32)
    wide <<= 16
    return wide.view(np.float32)


def f32_to_bf16_bits(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns (uint16), round to nearest even (NaN kept NaN)."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    u = x.view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():
        rounded[nan] = 0x7FC0
    return rounded


CHUNK = 1 << 22  # elements converted at a time (16 MiB of float32)


def convert_chunked(raw: np.ndarray, st_dtype: str, shape, dtype, name: str = "") -> np.ndarray:
    """Stored values (flat ``raw`` of the safetensors dtype ``st_dtype``) -> a new C-order
    array of ``dtype`` and ``shape``, converted a chunk at a time so that no float32 copy of a
    large tensor is ever made when the target is float16."""
    dtype = np.dtype(dtype)
    out = np.empty(int(raw.size), dtype=dtype)
    for i in range(0, int(raw.size), CHUNK):
        part = raw[i:i + CHUNK]
        f32 = bf16_bits_to_f32(part) if st_dtype == "BF16" else part.astype(np.float32)
        with np.errstate(over="ignore"):  # overflow is detected just below
            out[i:i + CHUNK] = f32
        if dtype == np.float16:
            over = np.isinf(out[i:i + CHUNK]) & np.isfinite(f32)
            if over.any():
                raise ValueError(f"{name}: values beyond the float16 range (65504) overflow "
                                 "float16; export with --dtype fp32")
    return out.reshape(tuple(shape))


def read_safetensors_header(path: Path) -> Tuple[dict, int]:
    """Returns (header dict without ``__metadata__``, byte offset of the data section)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            raw = f.read(8)
            if len(raw) != 8:
                raise CheckpointError(f"{path}: not a safetensors file (shorter than 8 bytes)")
            (n,) = struct.unpack("<Q", raw)
            if n > _MAX_HEADER or 8 + n > size:
                raise CheckpointError(f"{path}: not a safetensors file (header length {n} "
                                      f"does not fit a {size}-byte file)")
            header = json.loads(f.read(n).decode("utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"missing checkpoint file {path}: download it again "
                              "(all shards listed in model.safetensors.index.json are needed)")
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: corrupt safetensors header ({e}); download the file "
                              "again") from None
    header.pop("__metadata__", None)
    data_start = 8 + n
    for name, info in header.items():
        try:
            dtype = info["dtype"]
            shape = [int(s) for s in info["shape"]]
            begin, end = (int(v) for v in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(f"{path}: malformed header entry for '{name}'") from None
        if dtype not in _ST_DTYPES:
            raise CheckpointError(f"{path}: tensor '{name}' has unsupported dtype {dtype}")
        nbytes = int(np.prod(shape, dtype=np.int64)) * _ST_DTYPES[dtype][1]
        if end - begin != nbytes or data_start + end > size:
            raise CheckpointError(f"{path}: tensor '{name}' has inconsistent offsets "
                                  f"(truncated download?); download the file again")
    return header, data_start


class WeightSource:
    """Lazy access to a checkpoint's tensors by Hugging Face name (checkpoint layout)."""

    config: dict

    def names(self) -> List[str]:
        raise NotImplementedError

    def shape(self, name: str) -> Tuple[int, ...]:
        raise NotImplementedError

    def dtype(self, name: str) -> str:
        """safetensors dtype string (``BF16``, ``F32``, ``F16``...)."""
        raise NotImplementedError

    def get(self, name: str, dtype=np.float32) -> np.ndarray:
        """A new array (C order, writable) with the tensor's values in ``dtype`` (float32 or
        float16). Converting to float16 raises ValueError if a finite value overflows."""
        raise NotImplementedError

    def __contains__(self, name: str) -> bool:
        return name in set(self.names())

    def describe(self) -> str:
        return type(self).__name__


def _load_config(directory: Path) -> dict:
    cfg_path = directory / "config.json"
    if not cfg_path.is_file():
        raise CheckpointError(f"no config.json in {directory}: pass the folder of a Lumina-mGPT "
                              "Hugging Face checkpoint (config.json + *.safetensors)")
    try:
        with open(cfg_path, "r", encoding="utf-8") as f:
            cfg = json.load(f)
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{cfg_path} is not valid JSON ({e}); download it again") from None
    if not isinstance(cfg, dict):
        raise CheckpointError(f"{cfg_path} is not a JSON object")
    return cfg


class SafetensorsCheckpoint(WeightSource):
    """``config.json`` + ``model.safetensors`` or sharded ``model.safetensors.index.json``."""

    def __init__(self, directory, read_hook: Optional[Callable[[str, int], None]] = None):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise CheckpointError(f"checkpoint folder {self.directory} does not exist")
        self.config = _load_config(self.directory)
        self._read_hook = read_hook  # called (name, nbytes) on every tensor read (tests)
        index = self.directory / "model.safetensors.index.json"
        single = self.directory / "model.safetensors"
        self._entries: Dict[str, Tuple[Path, int, str, Tuple[int, ...], int, int]] = {}
        if index.is_file():
            try:
                with open(index, "r", encoding="utf-8") as f:
                    weight_map = json.load(f)["weight_map"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise CheckpointError(f"{index}: no valid 'weight_map' ({e}); download it "
                                      "again") from None
            shards: Dict[str, List[str]] = {}
            for name, shard in weight_map.items():
                shards.setdefault(shard, []).append(name)
            for shard in sorted(shards):
                spath = self.directory / shard
                if not spath.is_file():
                    raise CheckpointError(
                        f"missing shard {spath} (listed in model.safetensors.index.json): "
                        "download all checkpoint files into the folder")
                self._add_file(spath, expect=shards[shard])
        elif single.is_file():
            self._add_file(single)
        else:
            found = sorted(p.name for p in self.directory.glob("*.safetensors"))
            if len(found) == 1:
                self._add_file(self.directory / found[0])
            elif found:
                raise CheckpointError(f"{self.directory} has {len(found)} .safetensors files but "
                                      "no model.safetensors.index.json: download the index file")
            else:
                raise CheckpointError(f"no model.safetensors or model.safetensors.index.json in "
                                      f"{self.directory}: download the checkpoint's weight files "
                                      "(*.safetensors)")

    def _add_file(self, path: Path, expect: Optional[Sequence[str]] = None):
        header, data_start = read_safetensors_header(path)
        if expect is not None:
            missing = [n for n in expect if n not in header]
            if missing:
                raise CheckpointError(f"{path} lacks tensors the index lists (e.g. {missing[0]}): "
                                      "the shard does not match model.safetensors.index.json; "
                                      "download both again")
        for name, info in header.items():
            if expect is not None and name not in expect:
                continue
            begin, end = info["data_offsets"]
            self._entries[name] = (path, data_start + int(begin), info["dtype"],
                                   tuple(int(s) for s in info["shape"]), int(end) - int(begin),
                                   0)

    def names(self) -> List[str]:
        return list(self._entries)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def shape(self, name: str) -> Tuple[int, ...]:
        return self._entries[name][3]

    def dtype(self, name: str) -> str:
        return self._entries[name][2]

    def file_of(self, name: str) -> Path:
        return self._entries[name][0]

    def get(self, name: str, dtype=np.float32) -> np.ndarray:
        path, offset, st_dtype, shape, nbytes, _ = self._entries[name]
        buf = bytearray(nbytes)
        with open(path, "rb", buffering=0) as f:
            f.seek(offset)
            view = memoryview(buf)
            got = 0
            while got < nbytes:
                n = f.readinto(view[got:])
                if not n:
                    raise CheckpointError(f"{path}: unexpected end of file reading '{name}' "
                                          "(truncated download?)")
                got += n
        if self._read_hook is not None:
            self._read_hook(name, nbytes)
        np_dtype, _ = _ST_DTYPES[st_dtype]
        raw = np.frombuffer(buf, dtype=np_dtype)
        return convert_chunked(raw, st_dtype, shape, dtype, name)

    def describe(self) -> str:
        files = sorted({str(e[0].name) for e in self._entries.values()})
        return f"{self.directory} ({', '.join(files)})"


class MemoryCheckpoint(WeightSource):
    """An in-memory checkpoint (config dict + state dict with HF names): the ``--tiny`` path.

    Values may be torch tensors (any float dtype, bfloat16 included) or numpy arrays."""

    def __init__(self, config: Mapping, state: Mapping):
        self.config = dict(config)
        self._state = dict(state)

    def names(self) -> List[str]:
        return list(self._state)

    def __contains__(self, name: str) -> bool:
        return name in self._state

    def shape(self, name: str) -> Tuple[int, ...]:
        return tuple(int(s) for s in self._state[name].shape)

    def dtype(self, name: str) -> str:
        v = self._state[name]
        s = str(getattr(v, "dtype", ""))
        return {"torch.bfloat16": "BF16", "torch.float16": "F16", "float16": "F16",
                "torch.float64": "F64", "float64": "F64"}.get(s, "F32")

    def get(self, name: str, dtype=np.float32) -> np.ndarray:
        v = self._state[name]
        if hasattr(v, "detach"):  # torch tensor
            import torch
            f32 = v.detach().to(torch.float32).cpu().numpy()
        else:
            f32 = np.asarray(v, dtype=np.float32)
        return convert_chunked(f32.reshape(-1), "F32", f32.shape, dtype, name)

    def describe(self) -> str:
        return "in-memory checkpoint"


def open_checkpoint(directory, **kw) -> SafetensorsCheckpoint:
    return SafetensorsCheckpoint(directory, **kw)


# ---------------------------------------------------------------------------------------------
# Writing (tests, synthetic checkpoints)
# ---------------------------------------------------------------------------------------------

_NP_TO_ST = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("float64"): "F64",
             np.dtype("int64"): "I64", np.dtype("int32"): "I32"}


def write_safetensors(path, specs: Sequence[Tuple[str, str, Sequence[int]]],
                      produce: Callable[[str], np.ndarray],
                      metadata: Optional[Mapping[str, str]] = None) -> int:
    """Writes a safetensors file tensor by tensor (never holding more than one in memory).

    ``specs``: (name, safetensors dtype, shape) in file order; ``produce(name)`` returns the
    tensor as a float32 array (for ``BF16``/``F16``/``F32``, converted here) or as an array of
    the stored dtype. Returns the file size."""
    header: Dict[str, dict] = {}
    offset = 0
    for name, dtype, shape in specs:
        nbytes = int(np.prod(shape, dtype=np.int64)) * _ST_DTYPES[dtype][1]
        header[name] = {"dtype": dtype, "shape": [int(s) for s in shape],
                        "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    if metadata:
        header["__metadata__"] = dict(metadata)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)  # the data section starts 8-aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for name, dtype, shape in specs:
            arr = np.asarray(produce(name))
            if tuple(arr.shape) != tuple(int(s) for s in shape):
                raise ValueError(f"{name}: produced shape {arr.shape}, declared {tuple(shape)}")
            if dtype == "BF16":
                data = f32_to_bf16_bits(arr) if arr.dtype != np.uint16 else arr
            else:
                data = arr.astype(_ST_DTYPES[dtype][0], copy=False)
            f.write(np.ascontiguousarray(data).tobytes())
            del arr, data
    return os.path.getsize(path)


def write_sharded_checkpoint(directory, config: Mapping,
                             shards: Sequence[Sequence[Tuple[str, str, Sequence[int]]]],
                             produce: Callable[[str], np.ndarray]) -> List[Path]:
    """Writes ``config.json``, ``model-0000k-of-0000n.safetensors`` and
    ``model.safetensors.index.json`` (Hugging Face layout)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "config.json", "w", encoding="utf-8") as f:
        json.dump(dict(config), f, indent=2)
    n = len(shards)
    weight_map: Dict[str, str] = {}
    paths: List[Path] = []
    total = 0
    for k, specs in enumerate(shards, start=1):
        fname = f"model-{k:05d}-of-{n:05d}.safetensors"
        total += write_safetensors(directory / fname, specs, produce)
        for name, _, _ in specs:
            weight_map[name] = fname
        paths.append(directory / fname)
    with open(directory / "model.safetensors.index.json", "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    return paths
