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
# Globs relative to runs/ (or checkpoints/): weights, curves, evaluations and logs; never Adam states.
# decoder_<family>/: a decoder trained on one task family (train.py --tasks), same files.
KEEP = ["vq/last.pt", "vq/curve.csv", "vq/eval*.json", "vq/*_run*.log", "decoder/data"] + [
    f"{d}/{f}" for d in ("decoder", "decoder_*")
    for f in ("last.npz", "state.json", "curve.csv", "tokenizer.json", "eval*.json", "*_run*.log")]


def copy(src_root: Path, dst_root: Path) -> None:
    for pattern in KEEP:
        for s in sorted(src_root.glob(pattern)):
            copy_one(s, dst_root / s.relative_to(src_root))


def copy_one(s: Path, d: Path) -> None:
    if s.is_dir():
        shutil.copytree(s, d, dirs_exist_ok=True)
    else:
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(s, d)
    print(f"{s} -> {d}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("save", "restore"):
        sys.exit(__doc__)
    copy(RUNS, SNAP) if sys.argv[1] == "save" else copy(SNAP, RUNS)
