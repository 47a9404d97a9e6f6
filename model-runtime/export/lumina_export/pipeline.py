"""Checkpoint (real or in-memory random) + VQGAN + tokenizer → model bundle.

``export.py --checkpoint`` and ``export.py --tiny`` both end in :func:`export_bundle`; the
only difference is where the weights, the VQGAN and the tokenizer come from.
"""

from __future__ import annotations

import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Callable, List, Mapping, Optional

from . import decoder as dec
from . import float16_storage, onnx_assembly, references
from .bundle import (BUNDLE_FILES, FORMAT, FORMAT_VERSION, SAMPLING, decoder_section,
                     file_entry, write_manifest)
from .checkpoint import WeightSource
from .int4 import Int4Settings

__all__ = ["ExportError", "resolve_config", "check_weights", "export_bundle"]


class ExportError(Exception):
    """Anything the user must fix (message names the problem and the fix)."""


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def resolve_config(source: WeightSource) -> dec.DecoderConfig:
    """DecoderConfig from config.json, with the q/k-norm row count taken from the weights
    (``model_parallel_size`` rows in Lumina checkpoints; ``num_heads`` rows in an upstream
    Hugging Face conversion, which is the same after the repeat-interleave)."""
    try:
        cfg = dec.DecoderConfig.from_hf(source.config)
    except dec.ConfigError as e:
        raise ExportError(f"unsupported config.json: {e}") from None
    except (TypeError, ValueError) as e:
        raise ExportError(f"bad value in config.json: {e}") from None
    qn = "model.layers.0.self_attn.q_norm.weight"
    if qn in source:
        shape = source.shape(qn)
        if len(shape) != 2 or shape[1] != cfg.head_dim:
            raise ExportError(f"{qn} has shape {tuple(shape)}, expected "
                              f"[model_parallel_size, {cfg.head_dim}]: not a Lumina-mGPT "
                              "(Chameleon) checkpoint")
        rows = int(shape[0])
        if rows != cfg.qk_norm_groups:
            if cfg.num_heads % rows != 0:
                raise ExportError(f"{qn} has {rows} rows, which does not divide "
                                  f"{cfg.num_heads} heads")
            warnings.warn(f"config.json says model_parallel_size {cfg.qk_norm_groups} but the "
                          f"q/k-norm weights have {rows} rows; using {rows}")
            cfg.qk_norm_groups = rows
    if source.config.get("mask_image_logits"):
        warnings.warn("config.json has mask_image_logits true; the exported decoder does not "
                      "mask image logits (Lumina-mGPT checkpoints have false)")
    return cfg


def check_weights(source: WeightSource, cfg: dec.DecoderConfig) -> List[str]:
    """Raises ExportError on a missing tensor or a shape that contradicts config.json; returns
    the names of checkpoint tensors the decoder does not use."""
    shapes = onnx_assembly.expected_hf_shapes(cfg)
    for name, want in shapes.items():
        src = onnx_assembly.source_name(source, cfg, name)
        if src not in source:
            raise ExportError(f"the checkpoint has no tensor '{name}' (config.json: "
                              f"{cfg.num_layers} layers): incomplete download or not a "
                              "Lumina-mGPT checkpoint")
        got = tuple(source.shape(src))
        if got != tuple(want):
            raise ExportError(f"tensor '{src}' has shape {list(got)} but config.json implies "
                              f"{list(want)}: config.json does not belong to these weights")
    used = {onnx_assembly.source_name(source, cfg, n) for n in shapes}
    return [n for n in source.names() if n not in used]


def _clean(out_dir: Path) -> None:
    for name in BUNDLE_FILES:
        p = out_dir / name
        if p.is_file():
            p.unlink()
    ref = out_dir / "references"
    if ref.is_dir():
        shutil.rmtree(ref)


def _check_kv_layout(kv_layout: str, cfg: dec.DecoderConfig, dtype: str) -> None:
    """What ONNX Runtime's CPU GroupQueryAttention kernel (the shared_buffer layout) accepts,
    refused here rather than when the runtime first loads the graph."""
    if kv_layout != "shared_buffer":
        return
    if cfg.head_dim % 8:
        raise ExportError(f"--kv-layout shared_buffer needs a head size that is a multiple of 8 "
                          f"(GroupQueryAttention), got {cfg.head_dim}: use --kv-layout concat")
    if dtype != "float32":
        raise ExportError("--kv-layout shared_buffer is only built and checked for float32: "
                          "use --dtype fp32, or --kv-layout concat for float16")


def export_bundle(*, source: WeightSource, vq_model, out_dir, make_tokenizer: Callable,
                  dtype: str = "float32", target_size: int = 512, name: str,
                  description: str, source_info: Mapping, license: str,
                  random_weights: bool, outputs: Mapping, write_references: bool = False,
                  reference_seed: int = 0, quiet: bool = False,
                  int4_settings: Optional[Int4Settings] = None,
                  kv_layout: str = "concat", store_float16: bool = False) -> dict:
    """Writes a complete bundle into ``out_dir`` and returns the manifest.

    ``make_tokenizer(path) -> tokens dict`` writes ``tokenizer.json`` (a
    :mod:`lumina_export.tokenizer_gen` function). ``int4_settings``: store the linear weights
    as 4-bit blocks (references are then computed with the dequantized weights).
    ``kv_layout``: how the decoder graph keeps its KV cache (``concat`` or ``shared_buffer``);
    the references are the same torch logits for both. ``store_float16``: every graph's large
    weights are stored as float16 and cast to float32 when loaded (half the size;
    :mod:`lumina_export.float16_storage`)."""
    from . import vq_export  # the VQ half (other module owner); imported late on purpose

    t0 = time.time()
    out_dir = Path(out_dir)
    if target_size <= 0 or target_size % 32 != 0:
        raise ExportError(f"--target-size {target_size} is not a positive multiple of 32: use "
                          "the checkpoint's training resolution (512, 768 or 1024)")
    cfg = resolve_config(source)
    _check_kv_layout(kv_layout, cfg, dtype)
    if store_float16 and (dtype != "float32" or int4_settings is not None):
        raise ExportError("--weights float16_stored keeps float32 graphs with float16 files: "
                          "use it with --dtype fp32 (an fp16 bundle is float16 already)")
    unused = check_weights(source, cfg)
    if unused:
        _log(f"note: {len(unused)} checkpoint tensors are not part of the decoder and are "
             f"skipped (e.g. {unused[0]})", quiet)

    out_dir.mkdir(parents=True, exist_ok=True)
    _clean(out_dir)

    # tokenizer
    tokens = dict(make_tokenizer(out_dir / "tokenizer.json"))
    tokens.pop("placeholder_id", None)
    if tokens["image_token_last"] >= cfg.vocab_size:
        raise ExportError(f"the tokenizer's image tokens reach id {tokens['image_token_last']} "
                          f"but the model vocabulary has {cfg.vocab_size} ids")
    for key in ("bos", "separator", "image_start", "image_end", "end_of_line", "size_base"):
        if not 0 <= int(tokens[key]) < cfg.vocab_size:
            raise ExportError(f"tokenizer id {key}={tokens[key]} is outside the model "
                              f"vocabulary ({cfg.vocab_size})")
    n_embed = int(vq_model.n_embed)
    if int(tokens["codebook_size"]) != n_embed:
        raise ExportError(f"the tokenizer has {tokens['codebook_size']} image tokens but the "
                          f"VQGAN codebook has {n_embed} entries: tokenizer and VQGAN do not "
                          "belong together")

    # VQ graphs (fp32, as in the reference)
    _log("exporting vq_encoder.onnx and vq_decoder.onnx", quiet)
    vq_model = vq_model.float().eval()
    vq_export.export_vq_encoder(vq_model, out_dir / "vq_encoder.onnx")
    vq_export.export_vq_decoder(vq_model, out_dir / "vq_decoder.onnx")
    if store_float16:
        for graph in ("vq_encoder.onnx", "vq_decoder.onnx"):
            float16_storage.store_graph_weights(out_dir / graph)

    # decoder
    try:
        dec_info = onnx_assembly.export_decoder(source, cfg, out_dir, dtype=dtype, quiet=quiet,
                                                int4_settings=int4_settings,
                                                kv_layout=kv_layout, store_float16=store_float16)
    except onnx_assembly.ExportOverflow as e:
        raise ExportError(str(e)) from None

    # references (test bundles)
    if write_references:
        _log("computing torch reference logits", quiet)
        ref_dir = out_dir / "references"
        model = _module_from_export(out_dir, cfg)
        cases = references.reference_cases(cfg.vocab_size, reference_seed)
        dec_entries = references.write_decoder_references(model, ref_dir, cases)
        del model
        vq_entries = vq_export.write_vq_references(vq_model, ref_dir, reference_seed)
        references.write_references_json(ref_dir, dec_entries, vq_entries)

    def ext(base: str) -> List[str]:
        return [f"{base}.data"] if (out_dir / f"{base}.data").is_file() else []

    known = {"decoder.onnx": dec_info.onnx_sha256, "decoder.onnx.data": dec_info.data_sha256}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "description": description,
        "source": dict(source_info),
        "license": license,
        "random_weights": bool(random_weights),
        "target_size": int(target_size),
        "files": {
            "decoder": file_entry(out_dir, "decoder.onnx", ["decoder.onnx.data"], known),
            "vq_encoder": file_entry(out_dir, "vq_encoder.onnx", ext("vq_encoder.onnx")),
            "vq_decoder": file_entry(out_dir, "vq_decoder.onnx", ext("vq_decoder.onnx")),
            "tokenizer": file_entry(out_dir, "tokenizer.json"),
        },
        "tokens": tokens,
        "decoder": decoder_section(
            cfg, dtype, onnx_assembly.weight_format(int4_settings, store_float16),
            None if int4_settings is None else int4_settings.block_size, kv_layout),
        "vq": {"downsample": int(vq_model.downsample), "codebook_size": n_embed,
               "embed_dim": int(vq_model.embed_dim), "dtype": "float32"},
        "sampling": SAMPLING,
        "outputs": dict(outputs),
    }
    write_manifest(out_dir, manifest)
    _log(f"bundle written to {out_dir} in {time.time() - t0:.0f} s", quiet)
    return manifest


def _module_from_export(out_dir: Path, cfg: dec.DecoderConfig):
    """The torch module with the weights just written to decoder.onnx.data (float32)."""
    from .bundle import load_decoder_state

    state = load_decoder_state(out_dir / "decoder.onnx")
    model = dec.ChameleonDecoder(cfg)
    model.load_module_state(state)
    del state
    return model.eval()
