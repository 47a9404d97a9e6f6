#!/usr/bin/env python3
"""Copies the files needed to resume (small, no optimizer states) between a runs folder and the
committed checkpoints/ (runs folders are excluded from git in this checkout).

  snapshot.py save    [--runs DIR] [--decoder NAME]   runs -> checkpoints/   (after training)
  snapshot.py restore [--runs DIR] [--decoder NAME]   checkpoints/ -> runs   (before --resume)

train.py always trains <runs>/decoder; ``--decoder`` names its folder in checkpoints/:
``decoder`` (default; text to image and captions) or ``decoder_<family>``, a decoder trained on one
task family (``train.py --tasks``), e.g. ``decoder_image_to_image``. The tokenized scenes are one
set for every decoder, in checkpoints/decoder/data. A runs folder whose vq/ or decoder/data is a
link (a family decoder's runs folder borrowing them, see README "What remains") saves neither:
the folder it links to saves them.
"""
import argparse
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAP = HERE / "checkpoints"
# Weights, curves, evaluations and logs; never Adam states.
VQ_FILES = ("last.pt", "curve.csv", "eval*.json", "*_run*.log")
DECODER_FILES = ("last.npz", "state.json", "curve.csv", "tokenizer.json", "eval*.json", "*_run*.log")
DATA = "data"


def save(runs: Path, decoder: str, snap: Path = SNAP) -> None:
    if not (runs / "vq").is_symlink():
        copy_files(runs / "vq", snap / "vq", VQ_FILES)
    copy_files(runs / "decoder", snap / decoder, DECODER_FILES)
    if (runs / "decoder" / DATA).is_dir() and not (runs / "decoder" / DATA).is_symlink():
        copy_one(runs / "decoder" / DATA, snap / "decoder" / DATA)


def restore(runs: Path, decoder: str, snap: Path = SNAP) -> None:
    copy_files(snap / "vq", runs / "vq", VQ_FILES)
    copy_files(snap / decoder, runs / "decoder", DECODER_FILES)
    copy_one(snap / "decoder" / DATA, runs / "decoder" / DATA)


def copy_files(src: Path, dst: Path, patterns) -> None:
    for pattern in patterns:
        for s in sorted(src.glob(pattern)):
            copy_one(s, dst / s.name)


def copy_one(s: Path, d: Path) -> None:
    if s.is_dir():
        shutil.copytree(s, d, dirs_exist_ok=True)
    else:
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(s, d)
    print(f"{s} -> {d}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("direction", choices=("save", "restore"))
    ap.add_argument("--runs", type=Path, default=HERE / "runs", help="the runs folder (default runs/)")
    ap.add_argument("--decoder", default="decoder",
                    help="the decoder's folder in checkpoints/: decoder (default) or decoder_<family>")
    args = ap.parse_args(argv)
    (save if args.direction == "save" else restore)(args.runs, args.decoder)


if __name__ == "__main__":
    main()
