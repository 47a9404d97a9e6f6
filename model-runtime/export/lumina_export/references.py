"""Torch reference dumps of the decoder for the Java parity tests (docs/bundle-format.md).

Each decoder case is a prompt (``input_ids``, positions from ``position_start``) followed by
``steps`` fed one token at a time with an explicit KV cache, exactly as the engine runs the
ONNX graph. Row 0 of the logits file holds the last-position logits after the prefill, row k
those after ``steps[k-1]``. Files are raw little-endian float32.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import List, Sequence

import numpy as np
import torch

from .decoder import ChameleonDecoder

__all__ = [
    "BOS", "IMAGE_START", "IMAGE_END", "END_OF_LINE", "SEPARATOR", "SIZE_BASE",
    "TEXT_FIRST", "IMAGE_FIRST", "IMAGE_LAST",
    "reference_cases", "run_case", "write_decoder_references", "write_references_json",
]

# The real token layout (spec §1; same ids in the tiny tokenizer).
BOS = 0
IMAGE_START = 8197
IMAGE_END = 8196
END_OF_LINE = 8803
SEPARATOR = 8710
SIZE_BASE = 8804
TEXT_FIRST = 8900
IMAGE_FIRST, IMAGE_LAST = 4, 8195


def _uni_rep(codes_rows: Sequence[Sequence[int]], grid_h: int, grid_w: int) -> List[int]:
    toks = [IMAGE_START, SIZE_BASE + grid_h, SIZE_BASE + grid_w]
    for row in codes_rows:
        toks += list(row) + [END_OF_LINE]
    return toks + [IMAGE_END]


def reference_cases(vocab_size: int, seed: int, steps: int = 24) -> List[dict]:
    """The two standard cases: "conditional" (BOS, text, one 64x64 image's Uni-Rep, text, the
    separator; then ``steps`` tokens that open a 64x64 image: start, H, W, image rows with
    end-of-line) and "unconditional" (``[start, H, W]`` then the same image tokens)."""
    rng = random.Random(int(seed) * 7919 + 17)
    text_hi = vocab_size - 1
    if text_hi < TEXT_FIRST:
        raise ValueError(f"vocab_size {vocab_size} has no text ids >= {TEXT_FIRST}")

    def text(n: int) -> List[int]:
        return [rng.randint(TEXT_FIRST, text_hi) for _ in range(n)]

    def image_row(n: int) -> List[int]:
        return [rng.randint(IMAGE_FIRST, IMAGE_LAST) for _ in range(n)]

    lat = 4  # a 64x64 image: 2 grid units of 32 px, 4x4 VQ tokens
    grid = 2
    prompt = [BOS] + text(10) + _uni_rep([image_row(lat) for _ in range(lat)], grid, grid) \
        + text(3) + [SEPARATOR]
    opening = [IMAGE_START, SIZE_BASE + grid, SIZE_BASE + grid]
    body: List[int] = []
    while len(opening) + len(body) < steps:
        row = image_row(lat) + [END_OF_LINE]
        body += row
    body = body[:steps - len(opening)]
    return [
        {"name": "conditional", "input_ids": prompt, "position_start": 0,
         "steps": opening + body},
        {"name": "unconditional", "input_ids": opening, "position_start": 0, "steps": body},
    ]


@torch.no_grad()
def run_case(model: ChameleonDecoder, input_ids: Sequence[int], steps: Sequence[int],
             position_start: int = 0) -> np.ndarray:
    """float32 [1 + len(steps), vocab]: last-position logits after the prefill and after each
    step, with an explicit KV cache (the cache is never recomputed from the prefix)."""
    model = model.eval()
    ids = torch.tensor([list(input_ids)], dtype=torch.int64)
    n = ids.shape[1]
    logits, past = model(ids, torch.ones(1, n, dtype=torch.int64),
                         torch.arange(position_start, position_start + n).unsqueeze(0),
                         None, 1)
    rows = [logits[0, -1].to(torch.float32).clone()]
    total = n
    for tok in steps:
        logits, past = model(torch.tensor([[int(tok)]]),
                             torch.ones(1, total + 1, dtype=torch.int64),
                             torch.tensor([[position_start + total]]), past, 1)
        total += 1
        rows.append(logits[0, -1].to(torch.float32).clone())
    return torch.stack(rows).numpy()


def write_decoder_references(model: ChameleonDecoder, ref_dir, cases: Sequence[dict]) -> List[dict]:
    """Runs every case and writes ``decoder-<name>.f32``; returns the references.json entries."""
    ref_dir = Path(ref_dir)
    ref_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for case in cases:
        arr = run_case(model, case["input_ids"], case["steps"], case.get("position_start", 0))
        fname = f"decoder-{case['name']}.f32"
        (ref_dir / fname).write_bytes(np.ascontiguousarray(arr, dtype="<f4").tobytes())
        entries.append({"name": case["name"], "input_ids": [int(t) for t in case["input_ids"]],
                        "position_start": int(case.get("position_start", 0)),
                        "steps": [int(t) for t in case["steps"]],
                        "logits": {"path": fname, "shape": [int(s) for s in arr.shape]}})
    return entries


def write_references_json(ref_dir, decoder_entries: Sequence[dict],
                          vq_entries: Sequence[dict]) -> Path:
    path = Path(ref_dir) / "references.json"
    doc = {"decoder": list(decoder_entries), "vq": list(vq_entries)}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return path


def read_logits(ref_dir, entry: dict) -> np.ndarray:
    arr = np.fromfile(Path(ref_dir) / entry["logits"]["path"], dtype="<f4")
    return arr.reshape(entry["logits"]["shape"])
