#!/usr/bin/env python3
"""Copies the files needed to resume (small, no optimizer states) between runs/ and
checkpoints/ (runs/ is excluded from git in this checkout; checkpoints/ is committed).

  snapshot.py save      runs/ -> checkpoints/   (after training)
  snapshot.py restore   checkpoints/ -> runs/   (before train.py --resume in a fresh checkout)
"""
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS, SNAP = HERE / "runs", HERE / "checkpoints"
KEEP = ["vq/last.pt", "vq/curve.csv", "vq/eval.json", "vq/train_run1.log", "vq/train_run2.log",
        "vq/train_run3.log", "vq/train_run4.log", "vq/eval_step648.json", "vq/eval_step1241.json",
        "vq/eval_step1928.json",
        "decoder/last.npz", "decoder/state.json", "decoder/curve.csv", "decoder/tokenizer.json",
        "decoder/eval.json", "decoder/train_run1.log", "decoder/train_run2.log",
        "decoder/eval_run1.log", "decoder/data"]


def copy(src_root: Path, dst_root: Path) -> None:
    for rel in KEEP:
        s, d = src_root / rel, dst_root / rel
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.is_file():
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
        else:
            continue
        print(f"{s} -> {d}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("save", "restore"):
        sys.exit(__doc__)
    copy(RUNS, SNAP) if sys.argv[1] == "save" else copy(SNAP, RUNS)
