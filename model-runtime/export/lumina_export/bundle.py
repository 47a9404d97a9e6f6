"""The bundle manifest ``lumina-model.json`` (docs/bundle-format.md, format version 1) and
loading a bundle's decoder weights back into the torch module."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import numpy as np

from .decoder import ChameleonDecoder, DecoderConfig

__all__ = [
    "MANIFEST_NAME", "FORMAT", "FORMAT_VERSION", "SAMPLING", "UNKNOWN_OUTPUTS",
    "SYNTHETIC_OUTPUTS", "RANDOM_OUTPUTS", "BUNDLE_FILES", "sha256_file", "file_entry", "decoder_section",
    "write_manifest", "read_manifest", "decoder_config_from_manifest", "load_decoder_state",
    "load_bundle_decoder", "SHARED_FOLDER", "SHAREABLE_FILES", "share_files",
]

MANIFEST_NAME = "lumina-model.json"
# Bundles side by side in one model folder (one per task family) may keep the files they have in
# common once, in this folder beside them; their manifests name them "../shared/<file>".
SHARED_FOLDER = "shared"
SHAREABLE_FILES = ("vq_encoder", "vq_decoder", "tokenizer")
FORMAT = "lumina-model"
FORMAT_VERSION = 1
BUNDLE_FILES = ("lumina-model.json", "decoder.onnx", "decoder.onnx.data", "vq_encoder.onnx",
                "vq_encoder.onnx.data", "vq_decoder.onnx", "vq_decoder.onnx.data",
                "tokenizer.json", ".verified")

# Per task family (DESIGN.md §3; spec §3.6).
SAMPLING = {
    "text_to_image": {"cfg": 4.0, "image_top_k": 2000, "text_top_k": 10, "temperature": 1.0},
    "image_to_image": {"cfg": 1.0, "image_top_k": 200, "text_top_k": 10, "temperature": 1.0},
    "text": {"cfg": 1.0, "image_top_k": 2000, "text_top_k": 10, "temperature": 1.0,
             "max_new_tokens": 512},
}

UNKNOWN_OUTPUTS = {k: "unknown" for k in ("depth", "normals", "segmentation", "detect", "pose")}

# The conventions the project's synthetic training data is rendered with (random and
# project-trained test bundles).
SYNTHETIC_OUTPUTS = {
    "depth": {"encoding": "grayscale", "near": "bright", "scale": "relative",
              "range": [0.0, 1.0]},
    "normals": {"encoding": "rgb", "x": "right", "y": "up", "z": "toward_viewer",
                "mapping": "channel = (n + 1) / 2 * 255"},
    "segmentation": {"encoding": "palette", "classes": [
        {"name": "background", "rgb": [0, 0, 0]},
        {"name": "disc", "rgb": [230, 25, 75]},
        {"name": "square", "rgb": [60, 180, 75]},
        {"name": "triangle", "rgb": [0, 130, 200]},
        {"name": "ring", "rgb": [255, 225, 25]},
        {"name": "person", "rgb": [245, 130, 48]},
    ], "min_region_pixels": 64},  # a quarter of a 16-pixel token: smaller regions are VQ blends
    "detect": {"encoding": "box_outline", "rgb": [255, 0, 255], "line_width": 6},
    # Each keypoint a disc of its colour on black; limbs a darker shade (never within
    # colour_radius of a keypoint colour). A keypoint is the centroid of the largest 4-connected
    # region within colour_radius of its colour, when it has min_pixels or more.
    "pose": {"encoding": "keypoints", "background": [0, 0, 0], "colour_radius": 60, "min_pixels": 6,
             "keypoints": [
                 {"name": "head", "rgb": [255, 0, 0]}, {"name": "neck", "rgb": [255, 128, 0]},
                 {"name": "pelvis", "rgb": [255, 255, 0]}, {"name": "left_elbow", "rgb": [128, 255, 0]},
                 {"name": "left_hand", "rgb": [0, 255, 0]}, {"name": "right_elbow", "rgb": [0, 255, 128]},
                 {"name": "right_hand", "rgb": [0, 255, 255]}, {"name": "left_knee", "rgb": [0, 128, 255]},
                 {"name": "left_foot", "rgb": [0, 0, 255]}, {"name": "right_knee", "rgb": [128, 0, 255]},
                 {"name": "right_foot", "rgb": [255, 0, 255]},
             ],
             "limbs": [["head", "neck"], ["neck", "pelvis"], ["neck", "left_elbow"],
                       ["left_elbow", "left_hand"], ["neck", "right_elbow"], ["right_elbow", "right_hand"],
                       ["pelvis", "left_knee"], ["left_knee", "left_foot"], ["pelvis", "right_knee"],
                       ["right_knee", "right_foot"]]},
}

# The random test bundles (export.py --tiny and random exports) draw noise, not keypoint maps:
# they keep pose "unknown", the way every real checkpoint declares it, and the tests use them as
# that case.
RANDOM_OUTPUTS = dict(SYNTHETIC_OUTPUTS, pose="unknown")


def sha256_file(path, chunk: int = 1 << 24) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def file_entry(bundle_dir: Path, rel: str, external: Optional[List[str]] = None,
               known_sha: Optional[Mapping[str, str]] = None) -> dict:
    """``{"path", "sha256"[, "external_data": [{"path", "sha256"}]]}``; ``known_sha`` avoids
    hashing a file twice (the decoder data is hashed while it is written)."""
    known_sha = known_sha or {}

    def digest(name: str) -> str:
        return known_sha.get(name) or sha256_file(Path(bundle_dir) / name)

    entry = {"path": rel, "sha256": digest(rel)}
    if external is not None:
        entry["external_data"] = [{"path": e, "sha256": digest(e)} for e in external]
    return entry


def decoder_section(cfg: DecoderConfig, dtype: str, weights: str = "full",
                    int4_block_size: Optional[int] = None, kv_layout: str = "concat") -> dict:
    """The manifest's ``decoder`` object. Keys after ``has_num_logits_to_keep`` are additions
    to the documented set (readers ignore unknown keys): they let tools rebuild the torch
    module from a bundle (torch_bench.py) and describe the weight layout. ``weights``
    (``onnx_assembly.weight_format``): ``full``, whose manifests have no ``weights`` key;
    ``int4``, the linear weights are 4-bit MatMulNBits blocks of ``int4_block_size``;
    ``float16_stored``, the weights are stored as float16 and cast to ``dtype`` when loaded.
    ``kv_layout`` names how the graph keeps the KV cache (``concat`` or ``shared_buffer``);
    ``kv_dims`` the order of the cache tensors' dimensions, the same in both."""
    section = {
        "num_layers": cfg.num_layers,
        "num_heads": cfg.num_heads,
        "head_dim": cfg.head_dim,
        "hidden_size": cfg.hidden_size,
        "vocab_size": cfg.vocab_size,
        "max_positions": cfg.max_positions,
        "dtype": dtype,
        "kv_dtype": dtype,
        "kv_layout": kv_layout,
        "kv_dims": "batch,heads,positions,head_dim",
        "has_num_logits_to_keep": True,
        "intermediate_size": cfg.intermediate_size,
        "rms_norm_eps": cfg.rms_norm_eps,
        "rope_theta": cfg.rope_theta,
        "qk_norm_groups": cfg.qk_norm_groups,
        "swin_norm": cfg.swin_norm,
        "linear_weight_layout": "in,out",
    }
    if weights == "int4":
        section.update(weights=weights, weight_block_size=int4_block_size,
                       linear_weight_layout="matmulnbits")
    elif weights != "full":
        section.update(weights=weights)
    return section


def write_manifest(bundle_dir, manifest: Mapping) -> Path:
    path = Path(bundle_dir) / MANIFEST_NAME
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return path


def read_manifest(bundle_dir) -> dict:
    with open(Path(bundle_dir) / MANIFEST_NAME, "r", encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("format") != FORMAT or doc.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{bundle_dir}: not a {FORMAT} v{FORMAT_VERSION} bundle")
    return doc


def decoder_config_from_manifest(manifest: Mapping, initializers: Optional[Mapping] = None
                                 ) -> DecoderConfig:
    d = manifest["decoder"]
    inter = d.get("intermediate_size")
    groups = d.get("qk_norm_groups")
    if initializers is not None:  # bundles without the added keys: read the weight shapes
        if inter is None:
            inter = int(initializers["model.layers.0.mlp.gate_proj.weight"].shape[1])
        if groups is None:
            groups = int(initializers["model.layers.0.self_attn.q_norm.weight"].shape[0])
    return DecoderConfig(
        hidden_size=int(d["hidden_size"]), num_layers=int(d["num_layers"]),
        num_heads=int(d["num_heads"]), intermediate_size=int(inter),
        vocab_size=int(d["vocab_size"]), max_positions=int(d.get("max_positions", 4096)),
        rms_norm_eps=float(d.get("rms_norm_eps", 1e-5)),
        rope_theta=float(d.get("rope_theta", 10000.0)), qk_norm_groups=int(groups or 1),
        swin_norm=bool(d.get("swin_norm", False))).validate()


def load_decoder_state(onnx_path) -> Dict[str, np.ndarray]:
    """The decoder's weights (external data included) by Hugging Face name, in the module's
    layout, as numpy arrays. The 4-bit weights of an int4 bundle come back dequantized (float32
    ``[in, out]``): the values its MatMulNBits nodes compute with; float16-stored ones as the
    float32 tensors their casts make."""
    import onnx

    from . import float16_storage, int4
    from .onnx_numpy import load_initializers
    state = load_initializers(onnx_path)
    graph = onnx.load(str(onnx_path), load_external_data=False).graph
    float16_storage.unfold(state, graph)
    for node in graph.node:
        if node.op_type == "MatMulNBits":
            k = next(a.i for a in node.attribute if a.name == "K")
            packed, scales, zero_points = (state.pop(name) for name in node.input[1:4])
            state[int4.weight_name(node.input[1])] = int4.dequantize(
                packed, scales, zero_points, k).T
    return state


def load_bundle_decoder(bundle_dir, dtype=None) -> Tuple[ChameleonDecoder, dict]:
    """The torch module with the weights of ``bundle_dir/decoder.onnx`` (float32 unless
    ``dtype`` says otherwise), and the manifest."""
    bundle_dir = Path(bundle_dir)
    manifest = read_manifest(bundle_dir)
    state = load_decoder_state(bundle_dir / manifest["files"]["decoder"]["path"])
    cfg = decoder_config_from_manifest(manifest, state)
    model = ChameleonDecoder(cfg)
    if dtype is not None:
        model = model.to(dtype)
    model.load_module_state(state)
    del state
    return model.eval(), manifest


def share_files(model_folder) -> List[str]:
    """Moves the VQ graphs and tokenizer that the bundles in ``model_folder`` (its direct
    subfolders with a manifest) have in common into ``model_folder/shared/`` and points their
    manifests there; returns the shared file names. A file is shared when at least two bundles
    hold the same content (by checksum); a bundle whose copy differs (exported from another VQ)
    keeps its own, and a shared file no bundle names any more is removed."""
    import shutil

    folder = Path(model_folder)
    shared = folder / SHARED_FOLDER
    bundles = sorted(p.parent for p in folder.glob(f"*/{MANIFEST_NAME}"))
    manifests = {b: read_manifest(b) for b in bundles}
    named = set()
    for key in SHAREABLE_FILES:
        entries = [(b, manifests[b]["files"][key]) for b in bundles]
        if any(e.get("external_data") for _, e in entries):
            continue  # graphs with weight files beside them stay in their bundles
        counts: Dict[str, int] = {}
        for _, e in entries:
            counts[e["sha256"]] = counts.get(e["sha256"], 0) + 1
        sha = max(counts, key=counts.get) if counts else None
        if sha is None or counts[sha] < 2:
            continue
        name = Path(entries[0][1]["path"]).name
        target = shared / name
        shared_path = f"../{SHARED_FOLDER}/{name}"
        for b, e in entries:  # a bundle that names the old shared file gets its own copy back
            if e["path"] == shared_path and e["sha256"] != sha:
                shutil.copy(target, b / name)
                e["path"] = name
        source = next(b / e["path"] for b, e in entries if e["sha256"] == sha)
        if source.resolve() != target.resolve():
            shared.mkdir(exist_ok=True)
            shutil.copy(source, target)
        for b, e in entries:
            if e["sha256"] == sha and e["path"] != shared_path:
                (b / e["path"]).unlink()
                e["path"] = shared_path
        named.add(name)
    for b in bundles:
        write_manifest(b, manifests[b])
        (b / ".verified").unlink(missing_ok=True)
    still_named = {Path(e["path"]).name for m in manifests.values() for e in m["files"].values()
                   if e["path"].startswith(f"../{SHARED_FOLDER}/")}
    if shared.is_dir():
        for f in shared.iterdir():
            if f.name not in still_named:
                f.unlink()
    return sorted(named)
