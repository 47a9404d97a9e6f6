#!/usr/bin/env python3
"""Scores the trained decoder on the held-out scenes with a small torch sampler (KV cache,
the structure rules of spec §3.3, CFG of §3.4 for text to image).

  eval_decoder.py [--scenes N] [--tasks segmentation,depth,t2i,describe] [--cfg 3.0]

Writes runs/decoder/eval.json: per task the raw figures and, under ``issue_scores``, the
issue's score names: segmentation mIoU (generated map vs truth) beside the VQ's own ceiling
(encode->decode of the truth), depth Spearman, normals mean angle (degrees, all pixels),
grounding box IoU (bounding box of the drawn magenta outline vs the truth box), text to image
colour and colour+shape match of the nearest (first named) object at --cfg and at CFG 1
(synthetic.t2i_attributes; its own accuracy on VQ round trips of the truth is
``t2i_classifier_roundtrip``), caption exact match. A failed answer (no image, wrong size)
counts as 0 (180 degrees for normals).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from common import HELDOUT_DIR, RUNS, atomic_json, log, setup_threads  # noqa: E402
import decoder_stage as ds  # noqa: E402
import synthetic as syn  # noqa: E402
import vq_stage  # noqa: E402
from lumina_export import tokenizer_gen as tg  # noqa: E402


class Sampler:
    def __init__(self, model, vq, seed=0):
        self.model, self.vq = model.eval(), vq.eval()
        self.g = torch.Generator().manual_seed(seed)
        self.enc = ds.TextEncoder()
        self.id_to_tok = {v: k for k, v in self.enc.vocab.items()}

    def _step(self, ids, past, start):
        n = len(ids)
        inp = torch.tensor([ids])
        mask = torch.ones(1, start + n, dtype=torch.int64)
        pos = torch.arange(start, start + n).unsqueeze(0)
        logits, presents = self.model(inp, mask, pos, past, 1)
        return logits[0, -1], presents

    @torch.no_grad()
    def generate(self, prompt_ids, image=True, cfg=1.0, top_k=1, max_new=200):
        """Image answers: forces start/H/W? No: the model emits them; rules of §3.3 apply after
        H and W. Returns the generated ids (without the final separator)."""
        logits, past = self._step(prompt_ids, None, 0)
        seq = list(prompt_ids)
        out = []
        un_past, un_logits = None, None
        h_lat = w_lat = None
        img_toks = 0
        start_at, un_len = 0, 0
        for _ in range(max_new):
            lg = logits.clone()
            in_img = out.count(ds.IMG_START) == out.count(ds.IMG_END) + 1
            if in_img and h_lat is not None:
                n = img_toks + 1
                if cfg != 1.0 and un_logits is not None:
                    lg = cfg * (lg - un_logits) + un_logits
                allowed = torch.full_like(lg, float("-inf"))
                if n % (w_lat + 1) == 0:
                    allowed[ds.EOL] = 0
                    lg = allowed
                elif n == (w_lat + 1) * h_lat + 1:
                    allowed[ds.IMG_END] = 0
                    lg = allowed
                else:
                    keep = lg[ds.IMG_FIRST:ds.IMG_FIRST + ds.codebook()]
                    allowed[ds.IMG_FIRST:ds.IMG_FIRST + ds.codebook()] = keep
                    lg = allowed
            if top_k <= 1:
                tok = int(torch.argmax(lg))
            else:
                v, i = torch.topk(lg, top_k)
                tok = int(i[torch.multinomial(torch.softmax(v, 0), 1, generator=self.g)])
            if tok == ds.SEP:
                break
            out.append(tok)
            if in_img and h_lat is not None:
                img_toks += 1
            if tok == ds.IMG_START:
                h_lat = w_lat = None
                img_toks = 0
                start_at = len(out) - 1
            elif (h_lat is None and out.count(ds.IMG_START) > out.count(ds.IMG_END)
                  and len(out) - 1 - start_at == 2):
                h_lat = 2 * (out[-2] - ds.SIZE_BASE)
                w_lat = 2 * (out[-1] - ds.SIZE_BASE)
                if cfg != 1.0:
                    un_logits, un_past = self._step(out[start_at:], None, 0)
                    un_len = 3
            elif cfg != 1.0 and un_past is not None and in_img:
                un_logits, un_past = self._step([tok], un_past, un_len)
                un_len += 1
            if tok == ds.IMG_END:
                un_past = un_logits = None
                h_lat = None
            seq.append(tok)
            logits, past = self._step([tok], past, len(seq) - 1)
        return out

    def decode_image(self, toks):
        try:
            s = toks.index(ds.IMG_START)
            e = toks.index(ds.IMG_END, s)
        except ValueError:
            return None
        body = toks[s + 1:e]
        h_lat, w_lat = 2 * (body[0] - ds.SIZE_BASE), 2 * (body[1] - ds.SIZE_BASE)
        grid = body[2:]
        if h_lat <= 0 or w_lat <= 0 or len(grid) != h_lat * (w_lat + 1):
            return None
        codes = np.array(grid).reshape(h_lat, w_lat + 1)[:, :w_lat] - ds.IMG_FIRST
        codes = np.clip(codes, 0, ds.codebook() - 1)
        with torch.no_grad():
            x = self.vq.decode_codes(torch.from_numpy(codes).long()[None])[0]
        return vq_stage.to_uint8(x)

    def decode_text(self, toks):
        return tg.bpe_decode([t for t in toks if t in self.id_to_tok], self.id_to_tok)


METRICS = ("miou", "spearman", "mae", "angle_deg", "angle_deg_objects", "box_iou", "box_recall",
           "colour_match", "attribute_match", "size_ok", "exact", "word_recall")


FAILED = {"segmentation": {"miou": 0.0}, "depth": {"spearman": 0.0},
          "normals": {"angle_deg": 180.0}, "detect": {"box_iou": 0.0, "box_recall": 0.0},
          "t2i": {"colour_match": False, "attribute_match": False, "size_ok": False}}


def score_image(task, img, imgs, scene) -> dict:
    """Scores of one generated answer image against the truth renders (an invalid image
    counts as a failure: metrics below are only given for images of the right size)."""
    if task == "segmentation":
        return {"ok": True, "miou": syn.miou(syn.answer_class_map(img),
                                             syn.seg_class_map(imgs["segmentation"]))}
    if task == "depth":
        g, t = img.astype(float).mean(-1), imgs["depth"][..., 0].astype(float)
        return {"ok": True, "spearman": syn.spearman(g, t), "mae": float(np.abs(g - t).mean())}
    if task == "normals":
        obj = np.any(imgs["segmentation"] != 0, axis=-1)
        return {"ok": True, "angle_deg": syn.normals_mean_angle(img, imgs["normals"]),
                "angle_deg_objects": syn.normals_mean_angle(img, imgs["normals"], obj)
                if obj.any() else 0.0}
    if task == "detect":
        truth = syn.object_box(scene, scene.objects[scene.target])
        got = syn.box_from_outline(img)
        box = np.all(imgs["detect"] == syn.BOX_RGB, axis=-1)
        magenta = (img[..., 0] > 180) & (img[..., 1] < 90) & (img[..., 2] > 180)
        return {"ok": True, "box_iou": syn.box_iou(got, truth) if got else 0.0,
                "box_recall": float((magenta & box).sum() / max(box.sum(), 1))}
    if task == "t2i":
        c_ok, a_ok = syn.t2i_attributes(img, scene)
        return {"ok": True, "colour_match": c_ok, "attribute_match": a_ok, "size_ok": True}
    raise ValueError(task)


def issue_scores(summary) -> dict:
    """The issue's score names (failed answers count as 0 / 180 degrees)."""
    def get(t, k):
        return summary.get(t, {}).get(k)

    return {"segmentation_miou": get("segmentation", "miou"),
            "segmentation_miou_vq_ceiling": summary.get("segmentation_miou_vq_ceiling"),
            "depth_spearman": get("depth", "spearman"),
            "normals_mean_angle_deg": get("normals", "angle_deg"),
            "grounding_box_iou": get("detect", "box_iou"),
            "t2i_colour_match": get("t2i", "colour_match"),
            "t2i_attribute_match": get("t2i", "attribute_match"),
            "t2i_colour_match_cfg1": get("t2i_cfg1", "colour_match"),
            "t2i_attribute_match_cfg1": get("t2i_cfg1", "attribute_match"),
            "t2i_classifier_roundtrip": summary.get("t2i_classifier_roundtrip"),
            "t2i_sizes_ok": get("t2i", "size_ok"),
            "caption_accuracy": get("describe", "exact")}


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenes", type=int, default=12)
    ap.add_argument("--tasks", default="segmentation,depth,normals,detect,describe,t2i")
    ap.add_argument("--cfg", type=float, default=3.0)
    ap.add_argument("--top-k", type=int, default=20, help="t2i sampling")
    ap.add_argument("--out", default=str(RUNS / "decoder" / "eval.json"))
    ap.add_argument("--save-images", default=None, help="folder for the generated images")
    a = ap.parse_args(argv)
    setup_threads()
    vq = vq_stage.load_vq(RUNS / "vq" / "last.pt")
    model = ds.load_model()
    smp = Sampler(model, vq)
    templates = syn.load_templates()
    idx = json.load(open(HELDOUT_DIR / "index.json"))
    res = {t: [] for t in a.tasks.split(",")}
    ceil = {"segmentation_miou_vq_ceiling": [], "t2i_classifier_roundtrip": []}
    t0 = time.time()
    save = Path(a.save_images) if a.save_images else None
    if save:
        save.mkdir(parents=True, exist_ok=True)
    for s in idx["scenes"][:a.scenes]:
        truth = json.load(open(HELDOUT_DIR / f"{s['stem']}.json"))
        scene = syn.sample_scene(truth["seed"], size=(truth["width"], truth["height"]))
        imgs = {k: np.asarray(Image.open(HELDOUT_DIR / f"{s['stem']}_{k}.png").convert("RGB"))
                for k in ("rgb", "depth", "normals", "segmentation", "detect")}
        with torch.no_grad():
            codes = vq.encode_codes(vq_stage.to_pixels(imgs["rgb"])[None])[0]
        rep = ds.unirep(codes.flatten().numpy(), codes.shape[0], codes.shape[1])
        for task in [t for t in list(res) if t != "t2i_cfg1"]:
            prompt = syn.task_prompt(task, scene, templates)
            parts = prompt.split(tg.IMAGE_PLACEHOLDER)
            ids = [ds.BOS]
            for pi, part in enumerate(parts):
                ids += smp.enc(part)
                if pi < len(parts) - 1:
                    ids += rep
            ids.append(ds.SEP)
            if task == "describe":
                out = smp.generate(ids, image=False, max_new=60)
                text = smp.decode_text(out)
                want = syn.describe_answer(scene)
                ww = set(want.lower().strip(".").split())
                got = set(text.lower().strip(".").split())
                res[task].append({"exact": text == want, "word_recall": len(ww & got) / len(ww),
                                  "text": text})
                continue
            runs = [(task, a.cfg if task == "t2i" else 1.0)]
            if task == "t2i" and a.cfg != 1.0:
                runs.append(("t2i_cfg1", 1.0))
            for name, cfg in runs:
                out = smp.generate(ids, cfg=cfg, top_k=1 if task != "t2i" else a.top_k,
                                   max_new=120)
                img = smp.decode_image(out)
                if img is None:
                    res.setdefault(name, []).append(dict(FAILED[task], ok=False))
                    continue
                if save:
                    Image.fromarray(img).save(save / f"{s['stem']}_{name}.png")
                if img.shape != imgs["rgb"].shape:
                    res.setdefault(name, []).append(dict(FAILED[task], ok=False,
                                                         shape=list(img.shape)))
                    continue
                res.setdefault(name, []).append(score_image(task, img, imgs, scene))
        # the VQ's own ceilings: encode->decode of the truth
        with torch.no_grad():
            rt = {k: vq_stage.to_uint8(vq(vq_stage.to_pixels(imgs[k])[None])[0])
                  for k in ("segmentation", "rgb")}
        ceil["segmentation_miou_vq_ceiling"].append(
            syn.miou(syn.answer_class_map(rt["segmentation"]),
                     syn.seg_class_map(imgs["segmentation"])))
        c_ok, a_ok = syn.t2i_attributes(rt["rgb"], scene)
        ceil["t2i_classifier_roundtrip"].append(float(c_ok and a_ok))
    summary = {"scenes": a.scenes, "seconds": round(time.time() - t0, 1), "cfg_t2i": a.cfg,
               "top_k_t2i": a.top_k}
    for t, rows in res.items():
        ok = [r for r in rows if r.get("ok", True)]
        summary[t] = {"valid_images_or_texts": f"{len(ok)}/{len(rows)}"}
        for key in METRICS:
            vals = [float(r[key]) for r in rows if key in r]
            if vals:
                summary[t][key] = round(float(np.mean(vals)), 4)
        if t == "describe" and rows:
            summary[t]["example"] = rows[0]["text"]
    for k, v in ceil.items():
        summary[k] = round(float(np.mean(v)), 4) if v else None
    summary["issue_scores"] = issue_scores(summary)
    summary["decoder_step"] = json.load(open(RUNS / "decoder" / "state.json"))["step"]
    atomic_json(summary, Path(a.out))
    log(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
