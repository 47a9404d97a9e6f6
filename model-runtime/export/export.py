#!/usr/bin/env python3
"""Lumina-mGPT checkpoint → model bundle for the Java engine (docs/bundle-format.md).

Real checkpoint:
  export.py --checkpoint DIR --vqgan DIR --out DIR [--tokenizer FILE] [--dtype fp32|fp16]
            [--weights full|int4|float16_stored [--block-size 32] [--accuracy-level 4]] [--target-size N]
            [--kv-layout concat|shared_buffer] [--references]
Random test model with the real token layout:
  export.py --tiny --seed N --out DIR [--hidden H --layers L --heads N --intermediate I
            --vocab V --max-positions P --target-size N] [--no-references]

Errors the user must fix print one line "export.py: error: ..." and exit with code 2.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

EXIT_USAGE = 2


def _fail(msg: str) -> "NoReturn":
    print(f"export.py: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="export.py",
        description="Export a Lumina-mGPT checkpoint (or a random tiny model) as a model bundle.")
    src = p.add_argument_group("real checkpoint")
    src.add_argument("--checkpoint", metavar="DIR",
                     help="Hugging Face checkpoint folder (config.json + *.safetensors)")
    src.add_argument("--vqgan", metavar="DIR",
                     help="Chameleon tokenizer folder with vqgan.yaml and vqgan.ckpt")
    src.add_argument("--tokenizer", metavar="FILE",
                     help="tokenizer.json (default: DIR/tokenizer.json of --checkpoint; "
                          "Lumina-mGPT-7B-768's file serves every checkpoint)")
    src.add_argument("--references", action="store_true",
                     help="also write torch reference dumps (references/) for parity tests")
    tiny = p.add_argument_group("random test model")
    tiny.add_argument("--tiny", action="store_true",
                      help="random weights with the real token layout")
    tiny.add_argument("--seed", type=int, default=1)
    tiny.add_argument("--hidden", type=int, default=64)
    tiny.add_argument("--layers", type=int, default=2)
    tiny.add_argument("--heads", type=int, default=4)
    tiny.add_argument("--intermediate", type=int, default=None,
                      help="default: 8/3 * hidden rounded up to a multiple of 16")
    tiny.add_argument("--vocab", type=int, default=9216)
    tiny.add_argument("--max-positions", type=int, default=1536)
    tiny.add_argument("--model-parallel-size", type=int, default=2,
                      help="rows of the q/k-norm weights (default 2; 1 if heads is odd)")
    tiny.add_argument("--no-references", action="store_true",
                      help="skip the torch reference dumps")
    p.add_argument("--out", metavar="DIR", required=True, help="bundle folder to write")
    p.add_argument("--dtype", choices=("fp32", "fp16"), default="fp32",
                   help="decoder weight and KV-cache type (default fp32)")
    q = p.add_argument_group("stored weights")
    q.add_argument("--weights", choices=("full", "int4", "float16_stored"), default="full",
                   help="int4: store the attention/MLP projections and lm_head as 4-bit blocks "
                        "(ONNX Runtime MatMulNBits); the rest stays in --dtype. float16_stored "
                        "(with --dtype fp32): every large weight stored as float16 and cast to "
                        "float32 when loaded, half the size at float32 speed (default full)")
    q.add_argument("--block-size", type=int, default=32,
                   help="inputs per 4-bit scale: a power of two >= 16 (default 32)")
    q.add_argument("--accuracy-level", type=int, default=4,
                   help="MatMulNBits compute type: 4 = int8 activations (fast on CPUs, "
                        "default), 1 = float32, 0 = ONNX Runtime's choice")
    p.add_argument("--kv-layout", choices=("concat", "shared_buffer"), default="concat",
                   help="how decoder.onnx keeps the KV cache: concat returns past ++ new at "
                        "every call; shared_buffer updates one preallocated buffer in place "
                        "(ONNX Runtime GroupQueryAttention; float32 only) (default concat)")
    p.add_argument("--target-size", type=int, default=None,
                   help="training resolution of the checkpoint, a multiple of 32 "
                        "(512, 768, 1024 for the released ones; default 512)")
    p.add_argument("--name", default=None, help="bundle name (default: the --out folder name)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    return p


def _command_line(argv) -> str:
    return " ".join(["export.py"] + [shlex.quote(a) for a in argv])


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)

    if args.target_size is not None and (args.target_size <= 0 or args.target_size % 32):
        _fail(f"--target-size {args.target_size} is not a positive multiple of 32: use the "
              "checkpoint's training resolution (512, 768 or 1024)")
    if args.tiny and args.checkpoint:
        _fail("--tiny and --checkpoint exclude each other: pick one")
    if not args.tiny and not args.checkpoint:
        _fail("nothing to export: pass --checkpoint DIR --vqgan DIR, or --tiny")
    int4_settings = None
    if args.weights == "int4":
        from lumina_export.int4 import Int4Settings
        try:
            int4_settings = Int4Settings(args.block_size, args.accuracy_level).validate()
        except ValueError as e:
            _fail(str(e))
    if args.checkpoint and not args.vqgan:
        _fail("--vqgan DIR is required with --checkpoint (Meta's Chameleon tokenizer folder "
              "with vqgan.yaml and vqgan.ckpt)")

    # Import torch only after the cheap checks: error messages come fast.
    from lumina_export import bundle, tiny as tiny_mod, tokenizer_gen, vqgan
    from lumina_export.checkpoint import CheckpointError, MemoryCheckpoint, SafetensorsCheckpoint
    from lumina_export.decoder import ConfigError
    from lumina_export.pipeline import ExportError, export_bundle

    warnings.simplefilter("default")
    # torch's exporter talks about its own internals; those lines would bury the useful ones
    warnings.filterwarnings("ignore", message=r".*(Constant folding|shape inference of prim)")
    warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
    try:
        from torch.jit import TracerWarning
        warnings.filterwarnings("ignore", category=TracerWarning)
    except ImportError:
        pass
    warnings.formatwarning = lambda m, c, *a, **k: f"warning: {m}\n"
    out = Path(args.out)
    name = args.name or out.resolve().name
    dtype = "float16" if args.dtype == "fp16" else "float32"
    command = _command_line(argv)
    try:
        if args.tiny:
            target = args.target_size or 512
            try:
                cfg = tiny_mod.tiny_config(hidden=args.hidden, layers=args.layers,
                                           heads=args.heads, intermediate=args.intermediate,
                                           vocab=args.vocab, max_positions=args.max_positions,
                                           model_parallel_size=args.model_parallel_size)
            except (ConfigError, ValueError) as e:
                raise ExportError(f"bad tiny model size: {e}") from None
            hf_config, state = tiny_mod.random_checkpoint(cfg, args.seed)
            source = MemoryCheckpoint(hf_config, state)
            vq = vqgan.random_vqgan(vqgan.TINY_DDCONFIG, vqgan.TINY_N_EMBED,
                                    vqgan.TINY_EMBED_DIM, args.seed)
            seed_txt = f"random (seed {args.seed})"
            export_bundle(
                source=source, vq_model=vq, out_dir=out,
                make_tokenizer=lambda p: tokenizer_gen.make_tiny_tokenizer(cfg.vocab_size, p),
                dtype=dtype, target_size=target, name=name,
                description=(f"Random weights (seed {args.seed}) with the real token layout; "
                             "a random test model for tests and benchmarks only, it generates "
                             "nothing meaningful."),
                source_info={"checkpoint": seed_txt, "revision": None, "vqgan": seed_txt,
                             "exporter_command": command},
                license="Apache-2.0 (random weights, made by the project)",
                random_weights=True, outputs=bundle.RANDOM_OUTPUTS,
                write_references=not args.no_references, reference_seed=args.seed,
                quiet=args.quiet, int4_settings=int4_settings, kv_layout=args.kv_layout,
                store_float16=args.weights == "float16_stored")
        else:
            if args.target_size is None:
                print("export.py: warning: --target-size not given; using 512. Checkpoints do "
                      "not record their training resolution: pass 768 or 1024 for the -768 / "
                      "-1024 checkpoints", file=sys.stderr, flush=True)
            target = args.target_size or 512
            ckpt_dir = Path(args.checkpoint)
            source = SafetensorsCheckpoint(ckpt_dir)
            tok_path = Path(args.tokenizer) if args.tokenizer else ckpt_dir / "tokenizer.json"
            if not tok_path.is_file():
                raise ExportError(
                    f"tokenizer file {tok_path} not found: pass --tokenizer with the "
                    "tokenizer.json of Alpha-VLLM/Lumina-mGPT-7B-768 (it serves every "
                    "checkpoint)")
            vq_dir = Path(args.vqgan)
            for f in ("vqgan.yaml", "vqgan.ckpt"):
                if not (vq_dir / f).is_file():
                    raise ExportError(f"{vq_dir / f} not found: --vqgan must be Meta's Chameleon "
                                      "tokenizer folder with vqgan.yaml and vqgan.ckpt")
            try:
                vq = vqgan.load_vqgan(vq_dir)
            except (ValueError, KeyError, RuntimeError) as e:
                raise ExportError(f"cannot load the VQGAN from {vq_dir}: {e}") from None

            def make_tok(p):
                try:
                    return tokenizer_gen.prepare_tokenizer(tok_path, p, codebook_size=vq.n_embed)
                except (ValueError, KeyError) as e:
                    raise ExportError(f"tokenizer {tok_path} does not fit: {e}") from None

            revision = None
            resolved = ckpt_dir.resolve()
            if resolved.parent.name == "snapshots":  # Hugging Face cache layout
                revision = resolved.name
            export_bundle(
                source=source, vq_model=vq, out_dir=out, make_tokenizer=make_tok, dtype=dtype,
                target_size=target, name=name,
                description=(f"Lumina-mGPT decoder exported from {resolved.name} ({dtype} "
                             f"weights, target size {target})."),
                source_info={"checkpoint": resolved.name, "revision": revision,
                             "vqgan": str(vq_dir.resolve().name), "exporter_command": command},
                license=("see the checkpoint's model card (Lumina-mGPT weights); the VQGAN and "
                         "tokenizer come from Meta's Chameleon release (Chameleon Research "
                         "License)"),
                random_weights=False, outputs=bundle.UNKNOWN_OUTPUTS,
                write_references=args.references, reference_seed=args.seed, quiet=args.quiet,
                int4_settings=int4_settings, kv_layout=args.kv_layout,
                store_float16=args.weights == "float16_stored")
    except (ExportError, CheckpointError, ConfigError) as e:
        _fail(str(e))
    except FileNotFoundError as e:
        _fail(f"{e}")
    except MemoryError:
        _fail("out of memory: the export needs about 3 GB of free memory plus one decoder "
              "layer (see README.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
