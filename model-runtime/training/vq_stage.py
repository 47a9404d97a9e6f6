"""Stage ``vq``: a small Chameleon-family VQGAN (lumina_export.vqgan.VQModel) with an EMA codebook.

Trained on random crops of every render kind (scene, depth, normals, segmentation, detect),
loss = L1 + MSE on pixels in [-1, 1] + 0.25 commitment; codebook by EMA (decay 0.95) with
dead-code restarts. Checkpoint: runs/vq/last.pt (model fp16 + EMA buffers + step; the Adam state
goes to runs/vq/opt.pt, not committed, and is optional on resume).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from common import (RUNS, HELDOUT_DIR, Curve, atomic_json, atomic_torch_save, float_state,
                    half_state, log)
import synthetic as syn
from lumina_export.vqgan import VQModel, vqgan_yaml_dict

VQ_DDCONFIG = {
    "double_z": False,
    "z_channels": 64,
    "resolution": 128,
    "in_channels": 3,
    "out_ch": 3,
    "ch": 32,
    "ch_mult": [1, 1, 2, 2, 2],  # five levels: downsampling 16 as in the real VQGAN
    "num_res_blocks": 1,
    "attn_resolutions": [],
    "dropout": 0.0,
}
VQ_N_EMBED = 512
VQ_EMBED_DIM = 16
KINDS = ("rgb", "detect", "depth", "normals", "segmentation")
KIND_P = (0.25, 0.15, 0.18, 0.18, 0.24)
VQ_SEED_OFFSET = 1_000_000  # VQ training scenes: seed + 1e6 + i (decoder scenes use other seeds)


def to_pixels(arr: np.ndarray) -> torch.Tensor:
    """uint8 HxWx3 → float [3,H,W] in [-1, 1] (spec §2.4)."""
    return torch.from_numpy(arr).permute(2, 0, 1).float() / 255.0 * 2 - 1


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """[3,H,W] → uint8 HxWx3 (spec §2.5: clamp, (x+1)/2, *255, truncate)."""
    y = ((x.clamp(-1, 1) + 1) / 2 * 255).to(torch.uint8)
    return y.permute(1, 2, 0).numpy()


class EMACodebook:
    def __init__(self, model: VQModel, decay: float = 0.95, eps: float = 1e-5):
        n, d = model.n_embed, model.embed_dim
        self.model, self.decay, self.eps = model, decay, eps
        self.cluster_size = torch.zeros(n)
        self.embed_sum = model.quantize.embedding.weight.detach().clone()
        self.initialised = False

    def state(self):
        return {"cluster_size": self.cluster_size, "embed_sum": self.embed_sum,
                "initialised": self.initialised}

    def load(self, st):
        self.cluster_size = st["cluster_size"].float()
        self.embed_sum = st["embed_sum"].float()
        self.initialised = bool(st["initialised"])

    @torch.no_grad()
    def update(self, flat: torch.Tensor, codes: torch.Tensor, rng: np.random.Generator):
        emb = self.model.quantize.embedding.weight
        n = emb.shape[0]
        if not self.initialised:
            pick = torch.from_numpy(rng.integers(0, flat.shape[0], n))
            emb.copy_(flat[pick] + 0.01 * torch.randn_like(emb))
            self.embed_sum.copy_(emb)
            self.cluster_size.fill_(0.25)
            self.initialised = True
            return
        onehot = F.one_hot(codes, n).float()
        self.cluster_size.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
        self.embed_sum.mul_(self.decay).add_(onehot.t() @ flat, alpha=1 - self.decay)
        total = self.cluster_size.sum()
        size = (self.cluster_size + self.eps) / (total + n * self.eps) * total
        emb.copy_(self.embed_sum / size.unsqueeze(1))

    @torch.no_grad()
    def restart_dead(self, flat: torch.Tensor, rng: np.random.Generator, thresh: float = 0.02):
        dead = torch.nonzero(self.cluster_size < thresh).flatten()
        if len(dead) == 0:
            return 0
        pick = torch.from_numpy(rng.integers(0, flat.shape[0], len(dead)))
        new = flat[pick] + 0.01 * torch.randn(len(dead), flat.shape[1])
        self.model.quantize.embedding.weight[dead] = new
        self.embed_sum[dead] = new
        self.cluster_size[dead] = 0.25
        return len(dead)


def make_batch(rng: np.random.Generator, batch: int, crop: int, seed: int, counter: int):
    xs = []
    for b in range(batch):
        scene = syn.sample_scene(seed + VQ_SEED_OFFSET * 7 + counter * batch + b)
        imgs = syn.render(scene)
        kind = KINDS[int(rng.choice(len(KINDS), p=KIND_P))]
        arr = imgs[kind]
        h, w = arr.shape[:2]
        y0 = int(rng.integers(0, h - crop + 1))
        x0 = int(rng.integers(0, w - crop + 1))
        xs.append(to_pixels(np.ascontiguousarray(arr[y0:y0 + crop, x0:x0 + crop])))
    return torch.stack(xs)


def vq_forward(model: VQModel, x: torch.Tensor):
    z = model.encode_latents(x)  # [B, D, h, w]
    B, D, h, w = z.shape
    flat = z.permute(0, 2, 3, 1).reshape(-1, D)
    emb = model.quantize.embedding.weight
    with torch.no_grad():
        d = (flat * flat).sum(1, keepdim=True) + (emb * emb).sum(1)[None] - 2 * flat @ emb.t()
        codes = torch.argmin(d, dim=1)
    zq = emb[codes].detach()
    commit = F.mse_loss(flat, zq)
    zq_st = flat + (zq - flat).detach()
    zq_st = zq_st.reshape(B, h, w, D).permute(0, 3, 1, 2)
    rec = model.decoder(model.post_quant_conv(zq_st))
    return rec, flat.detach(), codes, commit


def new_model(seed: int) -> VQModel:
    torch.manual_seed(seed)
    return VQModel(VQ_DDCONFIG, VQ_N_EMBED, VQ_EMBED_DIM)


def load_vq(path: Path) -> VQModel:
    ck = torch.load(str(path), map_location="cpu")
    model = VQModel(ck["ddconfig"], ck["n_embed"], ck["embed_dim"])
    model.load_state_dict(float_state(ck["model"]))
    return model.float().eval()


def save_checkpoint(run: Path, model, ema, opt, step, elapsed, args):
    atomic_torch_save({"model": half_state(model.state_dict()), "ema": ema.state(),
                       "step": step, "elapsed_s": elapsed, "ddconfig": VQ_DDCONFIG,
                       "n_embed": VQ_N_EMBED, "embed_dim": VQ_EMBED_DIM, "seed": args.seed},
                      run / "last.pt")
    atomic_torch_save({"opt": opt.state_dict(), "step": step}, run / "opt.pt")


def write_vqgan_folder(model: VQModel, out: Path) -> None:
    """Meta layout: vqgan.yaml + vqgan.ckpt ({"state_dict": ...}), loadable by load_vqgan."""
    import yaml
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "vqgan.yaml", "w", encoding="utf-8") as f:
        yaml.safe_dump(vqgan_yaml_dict(model.ddconfig, model.n_embed, model.embed_dim), f)
    torch.save({"state_dict": {k: v.float() for k, v in model.state_dict().items()}},
               str(out / "vqgan.ckpt"))


@torch.no_grad()
def evaluate(model: VQModel, heldout: Path = HELDOUT_DIR, limit: int = 36) -> dict:
    """Encode→decode the held-out renders: segmentation mIoU, PSNR per kind, code usage."""
    from PIL import Image
    import json
    model.eval()
    idx = json.load(open(heldout / "index.json"))
    mious, psnr = [], {k: [] for k in KINDS}
    used = set()
    for s in idx["scenes"][:limit]:
        for k in KINDS:
            arr = np.asarray(Image.open(heldout / f"{s['stem']}_{k}.png").convert("RGB"))
            codes = model.encode_codes(to_pixels(arr)[None])
            used.update(codes.flatten().tolist())
            rec = to_uint8(model.decode_codes(codes)[0])
            mse = np.mean((rec.astype(np.float64) - arr) ** 2)
            psnr[k].append(10 * np.log10(255 ** 2 / max(mse, 1e-9)))
            if k == "segmentation":
                mious.append(syn.miou(syn.seg_class_map(rec), syn.seg_class_map(arr)))
    return {"seg_miou": float(np.mean(mious)),
            "psnr": {k: float(np.mean(v)) for k, v in psnr.items()},
            "codes_used_heldout": len(used), "scenes": min(limit, len(idx["scenes"]))}


def run(args) -> None:
    run_dir = RUNS / "vq"
    run_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    model = new_model(args.seed)
    ema = EMACodebook(model)
    for p in model.quantize.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr, betas=(0.5, 0.9))
    step, elapsed0 = 0, 0.0
    if args.resume and (run_dir / "last.pt").exists():
        ck = torch.load(str(run_dir / "last.pt"), map_location="cpu")
        model.load_state_dict(float_state(ck["model"]))
        ema.load(ck["ema"])
        step, elapsed0 = int(ck["step"]), float(ck["elapsed_s"])
        if (run_dir / "opt.pt").exists():
            o = torch.load(str(run_dir / "opt.pt"), map_location="cpu")
            if int(o["step"]) == step:
                opt.load_state_dict(o["opt"])
        rng = np.random.default_rng(args.seed + step)
        log(f"resumed vq at step {step} ({elapsed0:.0f} s trained)")
    curve = Curve(run_dir / "curve.csv", ["step", "loss", "rec_l1", "commit", "dead_restarts",
                                          "elapsed_s"])
    t0 = time.time()
    deadline = t0 + args.minutes * 60
    last_ck = t0
    model.train()
    acc = []
    while time.time() < deadline:
        x = make_batch(rng, args.batch, args.crop, args.seed, step)
        rec, flat, codes, commit = vq_forward(model, x)
        l1 = (rec - x).abs().mean()
        loss = l1 + F.mse_loss(rec, x) + 0.25 * commit
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema.update(flat, codes, rng)
        restarts = ema.restart_dead(flat, rng) if step % 10 == 0 and step > 0 else 0
        step += 1
        acc.append((loss.item(), l1.item(), commit.item()))
        if step % 10 == 0 or restarts:
            m = np.mean(acc, axis=0)
            acc = []
            el = elapsed0 + time.time() - t0
            curve.add(step=step, loss=f"{m[0]:.5f}", rec_l1=f"{m[1]:.5f}", commit=f"{m[2]:.5f}",
                      dead_restarts=restarts, elapsed_s=f"{el:.1f}")
            if step % 50 == 0:
                log(f"vq step {step} loss {m[0]:.4f} l1 {m[1]:.4f} commit {m[2]:.4f} "
                    f"({el:.0f} s)")
        if time.time() - last_ck > args.checkpoint_minutes * 60:
            save_checkpoint(run_dir, model, ema, opt, step, elapsed0 + time.time() - t0, args)
            last_ck = time.time()
    save_checkpoint(run_dir, model, ema, opt, step, elapsed0 + time.time() - t0, args)
    log(f"vq stopped at step {step}; evaluating on the held-out set")
    res = evaluate(load_vq(run_dir / "last.pt"))
    res.update(step=step, trained_s=elapsed0 + time.time() - t0)
    atomic_json(res, run_dir / "eval.json")
    log(f"vq eval: {res}")
