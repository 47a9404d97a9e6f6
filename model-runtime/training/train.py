#!/usr/bin/env python3
"""Trains the small synthetic Lumina-mGPT model (see README.md).

  train.py --stage vq      [--minutes N] [--resume] [--seed S]
  train.py --stage decoder [--minutes N] [--resume] [--seed S] [--tasks t2i,describe]
  train.py --stage vq-eval            (held-out reconstruction quality of runs/vq/last.pt)
  train.py --stage tokenize [--scenes N] [--kinds rgb] [--rewrite depth] [--shard I/K]

Run with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_NUM_THREADS=1
(Debian torch's reference BLAS is ~7x slower). One torch thread. Checkpoints are written
atomically under runs/<stage>/ every --checkpoint-minutes and at the end of the time box.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RUNS, atomic_json, log, setup_threads  # noqa: E402
from synthetic import TASK_IDS  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="train.py")
    ap.add_argument("--stage", required=True, choices=("vq", "decoder", "vq-eval", "tokenize"))
    ap.add_argument("--resume", action="store_true", help="continue from runs/<stage>/last.pt")
    ap.add_argument("--minutes", type=float, default=20.0, help="time box of this run")
    ap.add_argument("--checkpoint-minutes", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--crop", type=int, default=64, help="vq: training crop size")
    ap.add_argument("--no-decay", action="store_true",
                    help="constant learning rate (default: cosine to 10 %% over the time box)")
    ap.add_argument("--scenes", type=int, default=1600,
                    help="decoder: scenes in the tokenized training set")
    ap.add_argument("--freeze-encoder", action="store_true",
                    help="vq: train the pixel decoder only, so every image's codes stay the same "
                         "(a decoder trained on them stays valid)")
    ap.add_argument("--edge-weight", type=float, default=0.0,
                    help="vq: weight of the L1 loss on pixel differences (sharper edges)")
    ap.add_argument("--object-weight", type=float, default=0.0,
                    help="vq: pixels on and near the objects weigh 1 + W in the pixel losses "
                         "(their outlines carry the shapes)")
    ap.add_argument("--fsq-levels", default="",
                    help="vq: the grid, e.g. 8,8,8,8,2 (default: the checkpoint's, or 8,8,8,8 for a "
                         "new VQ); more dimensions than the checkpoint's widen it (widen_latent)")
    ap.add_argument("--pose-share", type=float, default=0.0,
                    help="vq: share of the scenes a batch draws as the stick-figure picture and "
                         "its keypoint map (default 0: the other kinds only)")
    ap.add_argument("--rgb-share", type=float, default=None,
                    help="vq: share of scene pictures among the crops (default 0.24; the other "
                         "kinds keep their proportions)")
    ap.add_argument("--tasks", default=",".join(TASK_IDS),
                    help="decoder: comma-separated task ids to train on (one bundle per task "
                         "family: see the README)")
    ap.add_argument("--repeat", default="",
                    help="decoder: TASK=N,... gives a task's samples N times an epoch (e.g. "
                         "describe=3: captions are short, so they weigh little in the token mean)")
    ap.add_argument("--rewrite", default="",
                    help="tokenize: re-encode these image kinds (e.g. depth) in the existing "
                         "chunks after a change to how they are rendered, or where --kinds left "
                         "them out; the rest stay")
    ap.add_argument("--kinds", default="",
                    help="tokenize: the image kinds new chunks get (default all); the others stay "
                         "absent, so those scenes train only the tasks these serve (rgb: t2i and "
                         "describe, ~5x faster); --rewrite fills absent kinds in later")
    ap.add_argument("--shard", default="0/1", metavar="I/K",
                    help="tokenize: this job takes the chunks whose index is I modulo K, so K "
                         "one-thread jobs (I = 0..K-1) share the cores")
    args = ap.parse_args(argv)
    try:
        args.shard = tuple(int(v) for v in args.shard.split("/"))
        if len(args.shard) != 2 or not 0 <= args.shard[0] < args.shard[1]:
            raise ValueError
    except ValueError:
        ap.error(f"--shard: expected I/K with 0 <= I < K, got {args.shard!r}")
    try:
        args.fsq_levels = tuple(int(v) for v in args.fsq_levels.split(",") if v.strip())
        if any(v < 2 for v in args.fsq_levels):
            raise ValueError
    except ValueError:
        ap.error(f"--fsq-levels: expected levels of 2 or more, e.g. 8,8,8,8,2, got {args.fsq_levels!r}")
    if not 0 <= args.pose_share < 1:
        ap.error(f"--pose-share: {args.pose_share} is not in [0, 1)")
    args.rewrite = tuple(k.strip() for k in args.rewrite.split(",") if k.strip())
    args.kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    args.tasks = tuple(t.strip() for t in args.tasks.split(",") if t.strip())
    unknown = [t for t in args.tasks if t not in TASK_IDS]
    if unknown or not args.tasks:
        ap.error(f"--tasks: unknown task(s) {unknown}; choose from {','.join(TASK_IDS)}")
    try:
        args.repeat = tuple((t.strip(), int(n)) for t, n in
                            (item.split("=") for item in args.repeat.split(",") if item.strip()))
    except ValueError:
        ap.error(f"--repeat: expected TASK=N,..., got {args.repeat!r}")
    stray = [t for t, n in args.repeat if t not in args.tasks or n < 1]
    if stray:
        ap.error(f"--repeat: {stray} not among --tasks {','.join(args.tasks)}, or N below 1")
    setup_threads()
    if args.stage in ("vq", "vq-eval"):
        import vq_stage
        if args.stage == "vq-eval":
            res = vq_stage.evaluate(vq_stage.load_vq(RUNS / "vq" / "last.pt"))
            atomic_json(res, RUNS / "vq" / "eval.json")
            log(f"vq eval: {res}")
            return 0
        args.lr = args.lr or 1e-3
        args.batch = args.batch or 16
        vq_stage.run(args)
    else:
        import decoder_stage
        args.lr = args.lr or 2e-3
        args.batch = args.batch or 16
        if args.stage == "tokenize":
            decoder_stage.tokenize(args)
        else:
            decoder_stage.run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
