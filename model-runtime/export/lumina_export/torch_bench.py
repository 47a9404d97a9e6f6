#!/usr/bin/env python3
"""Torch speed baseline for a bundle's decoder (what the Java engine is compared with).

  torch_bench.py --model BUNDLE_DIR [--steps N] [--prompt-tokens N] [--threads T] [--json]

Loads the decoder weights from the bundle's ``decoder.onnx`` initializers (external data
included) into the exporter's torch module (float32), runs the prefill of a fixed prompt, then
N single-token decode steps with the KV cache (greedy), and reports the decode speed. With
``--json`` the LAST line of stdout is one JSON object:
``{"torch_tokens_per_s", "torch_ms_per_step", "threads", "blas", ...}`` where ``blas`` names the
BLAS library the process actually loaded (read from /proc/self/maps after a matmul).

Runs as a script (``python3 lumina_export/torch_bench.py``) or as a module
(``python3 -m lumina_export.torch_bench`` from model-runtime/export).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "lumina_export"

import torch  # noqa: E402

from lumina_export.bundle import load_bundle_decoder  # noqa: E402


def blas_in_use() -> str:
    """Which BLAS this process uses: the shared library mapped after a matmul, else what
    torch says it was built with (a statically linked MKL maps no separate library)."""
    a = torch.randn(64, 64)
    (a @ a).sum().item()
    libs = set()
    try:
        with open("/proc/self/maps", "r") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6:
                    path = parts[5]
                    base = os.path.basename(path)
                    if any(k in base for k in ("blas", "mkl_", "libmkl", "blis", "atlas",
                                               "openblas")):
                        libs.add(path)
    except OSError:
        pass
    kinds = {}
    for path in sorted(libs):
        real = os.path.realpath(path)
        low = real.lower()
        if "openblas" in low:
            kind = "openblas"
        elif "mkl" in low:
            kind = "mkl"
        elif "blis" in low:
            kind = "blis"
        elif "atlas" in low:
            kind = "atlas"
        elif "/blas/" in low or os.path.basename(low).startswith("libblas"):
            kind = "reference"
        else:
            continue
        kinds.setdefault(kind, []).append(real)
    if kinds:
        return "; ".join(f"{k} ({', '.join(v)})" for k, v in sorted(kinds.items()))
    cfg = torch.__config__.show()
    for key in ("BLAS_INFO=", "LAPACK_INFO="):
        if key in cfg:
            val = cfg.split(key, 1)[1].split(",")[0].split()[0]
            return f"{val} (built into torch)"
    return "unknown"


@torch.no_grad()
def bench(model_dir, steps: int = 32, prompt_tokens: int = 64, threads: int = 1,
          warmup: int = 2) -> dict:
    torch.set_num_threads(int(threads))
    model, manifest = load_bundle_decoder(model_dir)
    cfg = model.cfg
    vocab = cfg.vocab_size
    g = torch.Generator().manual_seed(0)
    lo = 8900 if vocab > 8900 else 0
    prompt = torch.randint(lo, vocab, (1, prompt_tokens), generator=g)
    prompt[0, 0] = 0

    def prefill():
        n = prompt.shape[1]
        return model(prompt, torch.ones(1, n, dtype=torch.int64),
                     torch.arange(n).unsqueeze(0), None, 1)

    for _ in range(max(0, warmup)):
        prefill()
    t0 = time.perf_counter()
    logits, past = prefill()
    prefill_s = time.perf_counter() - t0
    total = prompt.shape[1]
    tok = int(torch.argmax(logits[0, -1]))
    t1 = time.perf_counter()
    for _ in range(steps):
        logits, past = model(torch.tensor([[tok]]), torch.ones(1, total + 1, dtype=torch.int64),
                             torch.tensor([[total]]), past, 1)
        total += 1
        tok = int(torch.argmax(logits[0, -1]))
    decode_s = time.perf_counter() - t1
    ms = 1000.0 * decode_s / max(steps, 1)
    return {
        "torch_tokens_per_s": (steps / decode_s) if decode_s > 0 else None,
        "torch_ms_per_step": ms,
        "threads": int(torch.get_num_threads()),
        "blas": blas_in_use(),
        "prefill_tokens": int(prompt.shape[1]),
        "prefill_ms": 1000.0 * prefill_s,
        "steps": int(steps),
        "model": manifest.get("name"),
        "decoder": {k: manifest["decoder"][k] for k in ("num_layers", "hidden_size",
                                                        "num_heads", "vocab_size", "dtype")},
        "torch": torch.__version__,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="torch_bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="bundle folder")
    p.add_argument("--steps", type=int, default=32)
    p.add_argument("--prompt-tokens", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--json", action="store_true", help="print one JSON object as last line")
    args = p.parse_args(argv)
    if not (Path(args.model) / "lumina-model.json").is_file():
        print(f"torch_bench.py: error: {args.model} has no lumina-model.json: pass a bundle "
              "folder written by export.py", file=sys.stderr)
        return 2
    res = bench(args.model, args.steps, args.prompt_tokens, args.threads, args.warmup)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{res['model']}: {res['torch_tokens_per_s']:.1f} tokens/s "
              f"({res['torch_ms_per_step']:.2f} ms/step), prefill {res['prefill_tokens']} "
              f"tokens {res['prefill_ms']:.1f} ms, threads {res['threads']}, BLAS {res['blas']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
