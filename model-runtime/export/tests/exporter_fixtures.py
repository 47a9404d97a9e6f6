"""Shared helpers of the exporter tests (test_decoder_export, test_checkpoint, test_cli).

They build a small Hugging Face layout Lumina-mGPT checkpoint ON DISK the way the release is
laid out (config.json, two bfloat16 safetensors shards + model.safetensors.index.json,
tokenizer.json) and a Chameleon VQGAN folder (vqgan.yaml + vqgan.ckpt), and run export.py on it
as a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

EXPORT_DIR = Path(__file__).resolve().parent.parent
REPO = EXPORT_DIR.parent.parent
if str(EXPORT_DIR) not in sys.path:
    sys.path.insert(0, str(EXPORT_DIR))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import yaml  # noqa: E402

from lumina_export import onnx_assembly, tiny, tokenizer_gen, vqgan  # noqa: E402
from lumina_export.checkpoint import write_sharded_checkpoint  # noqa: E402
from lumina_export.decoder import DecoderConfig  # noqa: E402

EXPORT_PY = EXPORT_DIR / "export.py"
PYTHON = sys.executable

# Not the tiny bundle's sizes on purpose: 6 heads in 2 model-parallel groups (3 heads each).
TEST_CFG = dict(hidden=96, layers=3, heads=6, intermediate=256, vocab=9216, max_positions=2048,
                model_parallel_size=2)
TEST_SEED = 5


def checkpoint_config() -> DecoderConfig:
    return tiny.tiny_config(**TEST_CFG)


def make_checkpoint(root: Path) -> Tuple[Path, Path, Dict[str, torch.Tensor]]:
    """Writes ``root/ckpt`` and ``root/vqgan``; returns (ckpt dir, vqgan dir, the state dict as
    bfloat16 torch tensors in HF layout)."""
    cfg = checkpoint_config()
    hf_config, state = tiny.random_checkpoint(cfg, TEST_SEED)
    hf_config["vocabulary_map"] = {"<s>": 0}  # real configs carry a big map; must be ignored
    ckpt = root / "ckpt"
    names = onnx_assembly.hf_weight_names(cfg)
    # an extra tensor the decoder does not use, as real shards may have (vqmodel weights)
    extra = "model.vqmodel.quant_conv.bias"
    specs = [(n, "BF16", list(state[n].shape)) for n in names]
    specs.append((extra, "F32", [4]))
    half = len(specs) * 2 // 3
    shards = [specs[:half], specs[half:]]

    def produce(name: str) -> np.ndarray:
        if name == extra:
            return np.arange(4, dtype=np.float32)
        return state[name].to(torch.float32).numpy()

    write_sharded_checkpoint(ckpt, hf_config, shards, produce)
    tokenizer_gen.make_tiny_tokenizer(cfg.vocab_size, ckpt / "tokenizer.json")
    vq_dir = root / "vqgan"
    vq_dir.mkdir(parents=True, exist_ok=True)
    model = vqgan.random_vqgan(vqgan.TINY_DDCONFIG, vqgan.TINY_N_EMBED, vqgan.TINY_EMBED_DIM,
                               TEST_SEED)
    with open(vq_dir / "vqgan.yaml", "w", encoding="utf-8") as f:
        yaml.safe_dump(vqgan.vqgan_yaml_dict(vqgan.TINY_DDCONFIG, vqgan.TINY_N_EMBED,
                                             vqgan.TINY_EMBED_DIM), f)
    torch.save({"state_dict": model.state_dict()}, vq_dir / "vqgan.ckpt")
    return ckpt, vq_dir, state


def run_export(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    return subprocess.run([PYTHON, str(EXPORT_PY), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(REPO))


def error_lines(proc: subprocess.CompletedProcess) -> List[str]:
    return [l for l in proc.stderr.splitlines() if l.startswith("export.py: error:")]
