"""Shared helpers of the training scripts: paths, atomic writes, the training curve."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXPORT_DIR = REPO / "model-runtime/export"
if str(EXPORT_DIR) not in sys.path:
    sys.path.insert(0, str(EXPORT_DIR))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

RUNS = Path(os.environ.get("LUMINA_TRAIN_RUNS", str(HERE / "runs")))
SYNTH_MODEL_DIR = REPO / "model-runtime/models/synthetic"
HELDOUT_DIR = SYNTH_MODEL_DIR / "heldout"


def atomic_torch_save(obj, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, str(tmp))
    os.replace(tmp, path)


def atomic_json(obj, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


class Curve:
    """Appends (step, loss, ..., elapsed_s) rows to a CSV (kept across resumes)."""

    def __init__(self, path: Path, fields):
        self.path = Path(path)
        self.fields = list(fields)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        self.f = open(self.path, "a", newline="", encoding="utf-8")
        self.w = csv.writer(self.f)
        if new:
            self.w.writerow(self.fields)
            self.f.flush()

    def add(self, **row) -> None:
        self.w.writerow([row.get(k, "") for k in self.fields])
        self.f.flush()


def half_state(state):
    """fp16 copy of the floating tensors of a state dict (for the committed checkpoints)."""
    return {k: (v.detach().half() if v.is_floating_point() else v.detach())
            for k, v in state.items()}


def float_state(state):
    return {k: (v.float() if v.is_floating_point() else v) for k, v in state.items()}


def setup_threads() -> None:
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)
