#!/usr/bin/env python3
"""Scores the trained decoder on the held-out scenes with a small torch sampler (KV cache,
the structure rules of spec §3.3, CFG of §3.4 for text to image).

  eval_decoder.py [--scenes N] [--tasks segmentation,depth,t2i,describe] [--cfg 3.0]

Writes runs/decoder/eval.json: segmentation mIoU (generated map vs truth), depth / normals
mean absolute error (0..255), detect box-pixel recall, describe exact-match and word recall,
t2i colour match of the largest object (generated image, seg by nearest colour).
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
                    keep = lg[ds.IMG_FIRST:ds.IMG_FIRST + ds.CODEBOOK]
                    allowed[ds.IMG_FIRST:ds.IMG_FIRST + ds.CODEBOOK] = keep
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
        codes = np.clip(codes, 0, ds.CODEBOOK - 1)
        with torch.no_grad():
            x = self.vq.decode_codes(torch.from_numpy(codes).long()[None])[0]
        return vq_stage.to_uint8(x)

    def decode_text(self, toks):
        return tg.bpe_decode([t for t in toks if t in self.id_to_tok], self.id_to_tok)


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenes", type=int, default=12)
    ap.add_argument("--tasks", default="segmentation,depth,normals,detect,describe,t2i")
    ap.add_argument("--cfg", type=float, default=3.0)
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
        for task in res:
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
            cfg = a.cfg if task == "t2i" else 1.0
            out = smp.generate(ids, cfg=cfg, top_k=1 if task != "t2i" else 20, max_new=120)
            img = smp.decode_image(out)
            if img is None:
                res[task].append({"ok": False})
                continue
            if save:
                Image.fromarray(img).save(save / f"{s['stem']}_{task}.png")
            if img.shape != imgs["rgb"].shape:
                res[task].append({"ok": False, "shape": list(img.shape)})
                continue
            if task == "segmentation":
                m = syn.miou(syn.seg_class_map(img), syn.seg_class_map(imgs["segmentation"]))
                res[task].append({"ok": True, "miou": m})
            elif task in ("depth", "normals"):
                mae = float(np.abs(img.astype(int) - imgs[task].astype(int)).mean())
                res[task].append({"ok": True, "mae": mae})
            elif task == "detect":
                box = np.all(imgs["detect"] == syn.BOX_RGB, axis=-1)
                magenta = (img[..., 0] > 180) & (img[..., 1] < 90) & (img[..., 2] > 180)
                rec = float((magenta & box).sum() / max(box.sum(), 1))
                res[task].append({"ok": True, "box_recall": rec})
            elif task == "t2i":
                o = max(scene.objects, key=lambda o: o.r)
                xs, ys = np.mgrid[0:scene.height, 0:scene.width][::-1]
                mask, _, _ = syn.object_geometry(o, xs + 0.5, ys + 0.5)
                mean = img[mask].mean(0)
                names = list(syn.COLOURS)
                pal = np.array([syn.COLOURS[n] for n in names], float)
                # compare chromaticity (shading scales brightness)
                c = mean / max(mean.sum(), 1)
                p = pal / pal.sum(1, keepdims=True)
                got = names[int(np.argmin(((p - c) ** 2).sum(1)))]
                res[task].append({"ok": True, "colour_match": got == o.colour})
    summary = {"scenes": a.scenes, "seconds": round(time.time() - t0, 1), "cfg_t2i": a.cfg}
    for t, rows in res.items():
        ok = [r for r in rows if r.get("ok", True)]
        summary[t] = {"valid_images_or_texts": f"{len(ok)}/{len(rows)}"}
        for key in ("miou", "mae", "box_recall", "colour_match", "exact", "word_recall"):
            vals = [float(r[key]) for r in ok if key in r]
            if vals:
                summary[t][key] = round(float(np.mean(vals)), 4)
        if t == "describe" and rows:
            summary[t]["example"] = rows[0]["text"]
    summary["decoder_step"] = json.load(open(RUNS / "decoder" / "state.json"))["step"]
    atomic_json(summary, Path(a.out))
    log(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
