#!/usr/bin/env python3
"""Exports the trained synthetic model as a bundle with the project's exporter.

1. runs/vq/last.pt      → runs/export_src/vqgan/{vqgan.yaml, vqgan.ckpt}   (Meta layout)
2. runs/decoder/last.npz → runs/export_src/checkpoint/{config.json, model-*.safetensors,
                           tokenizer.json}                                   (HF layout)
3. model-runtime/export/export.py --checkpoint ... --vqgan ... --out model-runtime/models/synthetic
   --target-size 128
4. the manifest gets this model's description, output conventions (bundle.SYNTHETIC_OUTPUTS)
   and a "training" section (seed, commands, steps, curves); unknown keys are ignored by the
   engine (docs/bundle-format.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXPORT_DIR, REPO, RUNS, SYNTH_MODEL_DIR, atomic_json, log  # noqa: E402


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(SYNTH_MODEL_DIR))
    args = ap.parse_args(argv)
    import numpy as np
    import decoder_stage as ds
    import vq_stage
    from lumina_export.checkpoint import write_sharded_checkpoint
    from lumina_export.decoder import DecoderConfig, is_linear_weight
    from lumina_export import bundle

    src = RUNS / "export_src"
    if src.exists():
        shutil.rmtree(src)
    vq = vq_stage.load_vq(RUNS / "vq" / "last.pt")
    vq_stage.write_vqgan_folder(vq, src / "vqgan")
    model = ds.load_model()
    cfg = DecoderConfig(**ds.DEC_CFG).validate()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    hf = {k: (np.ascontiguousarray(v.T) if is_linear_weight(k) else v) for k, v in state.items()}
    specs = [(k, "F32", list(v.shape)) for k, v in hf.items()]
    ck = src / "checkpoint"
    write_sharded_checkpoint(ck, cfg.to_hf(), [specs], lambda n: hf[n].astype(np.float32))
    shutil.copy(ds.TOKENIZER_PATH, ck / "tokenizer.json")

    out = Path(args.out)
    cmd = [sys.executable, str(EXPORT_DIR / "export.py"), "--checkpoint", str(ck),
           "--vqgan", str(src / "vqgan"), "--out", str(out), "--target-size", "128",
           "--name", "synthetic"]
    log("running " + " ".join(cmd))
    subprocess.run(cmd, check=True)

    man_path = out / bundle.MANIFEST_NAME
    man = json.load(open(man_path, encoding="utf-8"))
    dec_state = json.load(open(RUNS / "decoder" / "state.json"))
    vq_eval = {}
    if (RUNS / "vq" / "eval.json").exists():
        vq_eval = json.load(open(RUNS / "vq" / "eval.json"))
    man["description"] = (
        "Small Lumina-mGPT-architecture model (Chameleon decoder hidden 128, 4 layers; VQGAN "
        f"with a {vq_stage.VQ_N_EMBED}-code codebook, downsampling 16) trained by the project on its synthetic "
        "scenes (model-runtime/training): text to image, depth, normals, segmentation, detect, "
        "describe at target size 128. For tests and demos; it knows nothing else.")
    man["license"] = "Apache-2.0 (weights trained by the project on generated data)"
    man["random_weights"] = False
    man["outputs"] = bundle.SYNTHETIC_OUTPUTS
    man["source"]["checkpoint"] = "model-runtime/training/runs/decoder/last.npz"
    man["source"]["vqgan"] = "model-runtime/training/runs/vq/last.pt"
    man["training"] = {
        "seed": dec_state.get("seed"),
        "commands": [
            "python3 model-runtime/training/synthetic.py  # held-out set",
            "python3 model-runtime/training/train.py --stage vq --minutes N [--resume]",
            "python3 model-runtime/training/train.py --stage decoder --minutes N [--resume]",
            "python3 model-runtime/training/export_synthetic.py",
        ],
        "decoder_steps": dec_state.get("step"),
        "decoder_trained_s": dec_state.get("elapsed_s"),
        "decoder_scenes": dec_state.get("scenes"),
        "vq_eval": vq_eval,
        "curves": ["model-runtime/training/runs/vq/curve.csv",
                   "model-runtime/training/runs/decoder/curve.csv"],
        "heldout": "heldout/ (seeds 10000000..; synthetic.py write_heldout)",
        "checkpoints": "model-runtime/training/checkpoints (snapshot.py save/restore)",
    }
    if (RUNS / "decoder" / "eval.json").exists():
        man["training"]["decoder_eval"] = json.load(open(RUNS / "decoder" / "eval.json"))
    atomic_json(man, man_path)
    log(f"bundle written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
