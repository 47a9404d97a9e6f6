#!/usr/bin/env python3
"""Writes a random checkpoint shaped like a released Lumina-mGPT one, for measuring the
exporter (memory, time) without downloading 14 GB.

  make_synthetic_checkpoint.py --out DIR [--hidden 4096 --layers 32 --heads 32
      --intermediate 11008 --vocab 65536 --shards 2 --real-vqgan]

Writes DIR/checkpoint (config.json, bfloat16 shards + model.safetensors.index.json,
tokenizer.json with the real special-token layout) and DIR/vqgan (vqgan.yaml + vqgan.ckpt with
random weights; the real ddconfig with --real-vqgan, else the tiny one). Tensors are produced
and written one at a time: memory stays at one tensor whatever the model size. The weight
values are random bfloat16 bit patterns of moderate magnitude (fast to make), not a trained
distribution.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from lumina_export import onnx_assembly  # noqa: E402
from lumina_export.checkpoint import write_sharded_checkpoint  # noqa: E402
from lumina_export.decoder import DecoderConfig  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--hidden", type=int, default=4096)
    p.add_argument("--layers", type=int, default=32)
    p.add_argument("--heads", type=int, default=32)
    p.add_argument("--intermediate", type=int, default=11008)
    p.add_argument("--vocab", type=int, default=65536)
    p.add_argument("--model-parallel-size", type=int, default=1)
    p.add_argument("--shards", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--real-vqgan", action="store_true")
    args = p.parse_args(argv)

    cfg = DecoderConfig(hidden_size=args.hidden, num_layers=args.layers, num_heads=args.heads,
                        intermediate_size=args.intermediate, vocab_size=args.vocab,
                        max_positions=4096, qk_norm_groups=args.model_parallel_size).validate()
    out = Path(args.out)
    ckpt = out / "checkpoint"
    rng = np.random.default_rng(args.seed)
    shapes = onnx_assembly.expected_hf_shapes(cfg)
    names = onnx_assembly.hf_weight_names(cfg)

    def produce(name: str) -> np.ndarray:
        shape = shapes[name]
        n = int(np.prod(shape))
        bits = rng.integers(0, 1 << 16, size=n, dtype=np.uint16)
        if len(shape) == 1 or name.endswith("norm.weight"):
            # norm gains around 1.0: sign +, exponent of 1.0, random 7-bit mantissa
            bits = (bits & 0x007F) | 0x3F80
        elif name.endswith("norm.bias"):
            bits = (bits & 0x807F) | 0x3C00  # +-(2^-7 .. 2^-6)
        else:
            bits = (bits & 0x807F) | 0x3C00
        return bits.reshape(shape)

    # two shards like the release (9.98 GB + 4.05 GB): the first ~70 % of the tensors
    sizes = [int(np.prod(shapes[n])) for n in names]
    total = sum(sizes)
    shards, cur, acc = [], [], 0
    for n, s in zip(names, sizes):
        if len(shards) < args.shards - 1 and acc + s > total * 0.71 * (len(shards) + 1) / \
                max(args.shards - 1, 1) and cur:
            shards.append(cur)
            cur = []
        cur.append((n, "BF16", list(shapes[n])))
        acc += s
    shards.append(cur)
    t0 = time.time()
    write_sharded_checkpoint(ckpt, cfg.to_hf(), shards, produce)
    print(f"checkpoint written to {ckpt} ({total * 2 / 1e9:.2f} GB, {time.time() - t0:.0f} s)")

    from lumina_export import tokenizer_gen, vqgan
    import torch
    import yaml

    tokenizer_gen.make_tiny_tokenizer(cfg.vocab_size, ckpt / "tokenizer.json")
    vq_dir = out / "vqgan"
    vq_dir.mkdir(parents=True, exist_ok=True)
    dd = vqgan.REAL_DDCONFIG if args.real_vqgan else vqgan.TINY_DDCONFIG
    embed = 256 if args.real_vqgan else vqgan.TINY_EMBED_DIM
    model = vqgan.random_vqgan(dd, 8192, embed, args.seed)
    with open(vq_dir / "vqgan.yaml", "w") as f:
        yaml.safe_dump(vqgan.vqgan_yaml_dict(dd, 8192, embed), f)
    torch.save({"state_dict": model.state_dict()}, vq_dir / "vqgan.ckpt")
    print(f"tokenizer and vqgan written ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
