#!/usr/bin/env python3
"""Exports the trained synthetic model as a bundle with the project's exporter.

1. runs/vq/last.pt      → a temporary folder: vqgan/{vqgan.yaml, vqgan.ckpt}   (Meta layout)
2. runs/decoder/last.npz → the same folder: checkpoint/{config.json, model-*.safetensors,
                           tokenizer.json}                                   (HF layout)
   (``--source checkpoints`` reads the committed checkpoints/ instead of runs/; ``--decoder
   decoder_image_to_image`` exports a decoder of one task family instead of runs/decoder)
3. model-runtime/export/export.py --checkpoint ... --vqgan ... --out model-runtime/models/synthetic
   --target-size 128 --weights float16_stored (the checkpoints hold float16 weights: the
   half-size files lose nothing)
4. the manifest gets this model's description, output conventions (bundle.SYNTHETIC_OUTPUTS),
   the task families its decoder was trained on (``families``), its own image-to-image
   temperature (DENSE_TEMPERATURE) and a "training" section (seed, commands, steps, curves);
   unknown keys are ignored by the engine (docs/bundle-format.md).
5. the bundles beside it in the same model folder (one per task family) keep the VQ graphs and
   the tokenizer they have in common once, in ``shared/`` (``bundle.share_files``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXPORT_DIR, REPO, RUNS, SYNTH_MODEL_DIR, atomic_json, log  # noqa: E402
import synthetic as syn  # noqa: E402

# This small model's dense answers are sharper below temperature 1 (36 held-out scenes, decoder
# step 7,709: segmentation mIoU 0.32 -> 0.42 and box IoU 0.54 -> 0.60 at 0.5, normals 25.2 ->
# 25.8 deg; at 0.1 the boxes and normals get worse); text to image and captions gain nothing.
DENSE_TEMPERATURE = 0.5


def export(source: Path, decoder: str, src: Path, out: Path, name: str) -> int:
    """source/{vq,<decoder>} → src/{vqgan,checkpoint} → export.py → out; returns the codebook size."""
    import numpy as np
    import decoder_stage as ds
    import vq_stage
    from lumina_export.checkpoint import write_sharded_checkpoint
    from lumina_export.decoder import DecoderConfig, is_linear_weight

    vq = vq_stage.load_vq(source / "vq" / "last.pt")
    vq_stage.write_vqgan_folder(vq, src / "vqgan")
    model = ds.load_model(source / decoder / "last.npz")
    cfg = DecoderConfig(**ds.DEC_CFG).validate()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    hf = {k: (np.ascontiguousarray(v.T) if is_linear_weight(k) else v) for k, v in state.items()}
    specs = [(k, "F32", list(v.shape)) for k, v in hf.items()]
    ck = src / "checkpoint"
    write_sharded_checkpoint(ck, cfg.to_hf(), [specs], lambda n: hf[n].astype(np.float32))
    shutil.copy(source / decoder / "tokenizer.json", ck / "tokenizer.json")
    cmd = [sys.executable, str(EXPORT_DIR / "export.py"), "--checkpoint", str(ck),
           "--vqgan", str(src / "vqgan"), "--out", str(out), "--target-size", "128",
           "--name", name, "--weights", "float16_stored"]
    log("running " + " ".join(cmd))
    subprocess.run(cmd, check=True)
    return vq.n_embed


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(SYNTH_MODEL_DIR))
    ap.add_argument("--source", default=str(RUNS),
                    help="folder with vq/ and decoder/ as train.py writes them (default runs/; "
                         "checkpoints/ exports the committed weights without restoring them)")
    ap.add_argument("--decoder", default="decoder",
                    help="the decoder's folder in --source: decoder (default) or decoder_<family>, "
                         "one trained with --tasks on one task family")
    args = ap.parse_args(argv)
    from lumina_export import bundle

    source, out, decoder = Path(args.source), Path(args.out), args.decoder
    family = decoder.removeprefix("decoder").lstrip("_")
    name = "synthetic-" + family if family else "synthetic"
    src = Path(tempfile.mkdtemp(prefix="lumina-export-src-"))  # intermediate checkpoints
    try:
        codebook = export(source, decoder, src, out, name)
    finally:
        shutil.rmtree(src, ignore_errors=True)

    man_path = out / bundle.MANIFEST_NAME
    man = json.load(open(man_path, encoding="utf-8"))
    dec_state = json.load(open(source / decoder / "state.json"))
    tasks = dec_state.get("tasks", list(syn.TASK_IDS))
    vq_eval = {}
    if (source / "vq" / "eval.json").exists():
        vq_eval = json.load(open(source / "vq" / "eval.json"))
    man["description"] = (
        "Small Lumina-mGPT-architecture model (Chameleon decoder hidden 128, 4 layers; VQGAN "
        f"with a {codebook}-code codebook, downsampling 16) trained by the project on its synthetic "
        f"scenes (model-runtime/training): {', '.join(tasks)} at target size 128. For tests and "
        "demos; it knows nothing else.")
    man["license"] = "Apache-2.0 (weights trained by the project on generated data)"
    man["random_weights"] = False
    man["outputs"] = bundle.SYNTHETIC_OUTPUTS
    man["families"] = syn.task_families(tasks)
    man["sampling"]["image_to_image"]["temperature"] = DENSE_TEMPERATURE
    man["source"]["checkpoint"] = _shown(source / decoder / "last.npz")
    man["source"]["vqgan"] = _shown(source / "vq" / "last.pt")
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
        "decoder_tasks": tasks,
        "vq_eval": vq_eval,
        "curves": ["model-runtime/training/runs/vq/curve.csv",
                   f"model-runtime/training/runs/{decoder}/curve.csv"],
        "heldout": "heldout/ (seeds 10000000..; synthetic.py write_heldout)",
        "checkpoints": "model-runtime/training/checkpoints (snapshot.py save/restore)",
    }
    if (source / decoder / "eval.json").exists():
        man["training"]["decoder_eval"] = json.load(open(source / decoder / "eval.json"))
    atomic_json(man, man_path)
    log(f"bundle written to {out}")
    shared = bundle.share_files(out.parent)
    if shared:
        log(f"the bundles in {out.parent} share {', '.join(shared)} "
            f"({out.parent / bundle.SHARED_FOLDER})")
    return 0



def _shown(path: Path) -> str:
    """``path`` relative to the repository when it lies inside it."""
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
