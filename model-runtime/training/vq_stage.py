"""Stage ``vq``: a small Chameleon-family VQGAN (lumina_export.vqgan.VQModel, Meta layout).

Codebook: a fixed 8x8x8x8 grid in 4 dimensions (finite scalar quantisation written as an
ordinary 4,096-entry codebook, see :func:`fsq_grid`), straight-through gradients; nothing to
learn, so no collapse or dead codes. Trained on 64x64 crops of every render kind (scene,
depth, normals, segmentation, detect), 70 % of them centred on an object, and every 2nd step on
whole images; loss = L1 + MSE on pixels in [-1, 1] + 0.1 (commitment + range penalty), plus
``--edge-weight`` times :func:`edge_l1` when given; ``--object-weight`` weighs the pixels on and
around the objects more (:func:`pixel_weights`), ``--rgb-share`` gives scene pictures another
share of the crops (:func:`kind_probabilities`);
Adam, cosine learning rate over the time box. Checkpoint: runs/vq/last.pt (model fp16 + step;
the Adam state goes to runs/vq/opt.pt, not committed, and is optional on resume).
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
    "ch": 64,
    # five levels: downsampling 16 as in the real VQGAN. With num_res_blocks 0 the encoder is
    # conv_in + 4 stride-2 convolutions + the mid block (64 channels; taming's encoder then
    # needs ch_mult[0..3] == 1), the decoder one ResnetBlock per level, 128 channels at the
    # 8x8 level where it is cheap, 64 above. (The first VQ had ch 32, ch_mult [1,1,1,1,4]: its
    # pixel decoder rounded squares and triangles and filled rings; ``widen_channels`` carried
    # it over to this width without changing a code.)
    "ch_mult": [1, 1, 1, 1, 2],
    "num_res_blocks": 0,
    "attn_resolutions": [],
    "dropout": 0.0,
    # 8 groups (8 channels a group; the first VQ had 4, as Meta's VQGAN at its narrowest,
    # 128 / 32). GroupNorm(32) on 32 channels is an instance norm that erases every channel's
    # image mean: a first run with it lost the object colours (held-out colour match 14 %).
    "norm_groups": 8,
}
# The grid of a new VQ: 4,096 codes (a 3-dimensional 512-code grid blurred shapes away). A run
# keeps its checkpoint's grid; ``--fsq-levels`` with more dimensions widens it (widen_latent).
FSQ_LEVELS = (8, 8, 8, 8)
VQ_N_EMBED = int(np.prod(FSQ_LEVELS))
VQ_EMBED_DIM = len(FSQ_LEVELS)
KINDS = ("rgb", "detect", "depth", "normals", "segmentation")
KIND_P = (0.24, 0.16, 0.16, 0.16, 0.28)
# The stick-figure picture and its keypoint map: drawn instead of KINDS for ``--pose-share`` of
# the scenes of a batch (none by default, so earlier runs keep their draws).
POSE_KINDS = ("pose_rgb", "pose")
VQ_SEED_OFFSET = 1_000_000  # VQ training scenes: seed + 7e6 + i (decoder scenes use other seeds)
# Pixels within this many of an object take the object weight too: its outline is what the
# shape classifier reads, and a blurred edge spills outside the object's own pixels.
OBJECT_MARGIN = 3
OBJECT_CROP_P = 0.7  # crops centred (with jitter) on an object; the rest uniformly random
FULL_EVERY = 2  # every 2nd step trains on full images (GroupNorm statistics of whole images)


def to_pixels(arr: np.ndarray) -> torch.Tensor:
    """uint8 HxWx3 → float [3,H,W] in [-1, 1] (spec §2.4)."""
    return torch.from_numpy(arr).permute(2, 0, 1).float() / 255.0 * 2 - 1


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """[3,H,W] → uint8 HxWx3 (spec §2.5: clamp, (x+1)/2, *255, truncate)."""
    y = ((x.clamp(-1, 1) + 1) / 2 * 255).to(torch.uint8)
    return y.permute(1, 2, 0).numpy()


def fsq_grid(levels=FSQ_LEVELS) -> torch.Tensor:
    """The fixed codebook [prod(levels), len(levels)]: every combination of the per-dimension
    values -1 + 2k/(L-1) (k = 0..L-1), code = k0*L1*L2 + k1*L2 + k2 (row-major).

    Finite scalar quantisation (Mentzer et al. 2023) written as an ordinary codebook: for a
    product grid the nearest entry by squared L2 (what the exported VQGAN computes with its
    argmin) is exactly the per-dimension rounding of the clamped latent, so the exporter and the
    engine need nothing new. No codebook to learn: no collapse, no dead codes."""
    axes = [torch.linspace(-1.0, 1.0, L) for L in levels]
    mesh = torch.meshgrid(*axes, indexing="ij")
    return torch.stack([m.reshape(-1) for m in mesh], dim=1)


def fsq_quantize(z: torch.Tensor, levels=FSQ_LEVELS):
    """z [B, D, h, w] → (quantised latents [B, D, h, w], codes int64 [B, h, w])."""
    L = torch.tensor(levels, dtype=z.dtype).reshape(1, -1, 1, 1)
    k = torch.round((z.clamp(-1, 1) + 1) / 2 * (L - 1))
    q = k / (L - 1) * 2 - 1
    mult = [int(np.prod(levels[i + 1:])) for i in range(len(levels))]
    codes = sum(k[:, i].long() * mult[i] for i in range(len(levels)))
    return q, codes


def init_codebook(model: VQModel) -> None:
    with torch.no_grad():
        model.quantize.embedding.weight.copy_(fsq_grid(model.fsq_levels))
    model.quantize.embedding.weight.requires_grad_(False)


def widen_latent(model: VQModel, old: dict) -> None:
    """Loads a checkpoint with fewer latent dimensions into ``model`` so that it starts close
    to its reconstructions: the old dimensions keep their encoder rows (``quant_conv``) and
    decoder columns (``post_quant_conv``); the new dimensions keep the fresh encoder rows and
    get decoder columns at a tenth of the old ones' scale. Not zero: with zero columns the
    reconstruction sends no gradient to the new latents (straight-through passes through
    those columns), the commitment term alone pins them to one level, and the grid's new
    codes stay unused (a first try used 512 of 4,096 codes after 1,200 steps)."""
    d = old["quant_conv.weight"].shape[0]
    state = model.state_dict()
    for k, v in old.items():
        if k == "quant_conv.weight" or k == "quant_conv.bias":
            state[k][:d] = v
        elif k == "post_quant_conv.weight":
            state[k].normal_(0.0, 0.1 * float(v.float().std()))
            state[k][:, :d] = v
        elif not k.startswith("quantize."):
            state[k].copy_(v)
    model.load_state_dict(state)


def _widened_index(old: int, new: int, groups: int) -> torch.Tensor:
    """For each of ``new`` channels, the one of ``old`` it copies: every GroupNorm group of
    the narrow layer becomes one group of the wide layer holding its channels ``new // old``
    times over, so the group's mean and variance, and with them the normalised values, stay
    the same."""
    per_old, per_new = old // groups, new // groups
    n = torch.arange(new)
    return per_old * (n // per_new) + (n % per_new) % per_old


def widen_channels(model: VQModel, old: dict, old_ddconfig: dict, noise: float = 0.01) -> None:
    """Loads a checkpoint of a narrower VQ (smaller ``ch``, same levels, latent and groups)
    into ``model`` so that it computes the same function: every widened layer holds each old
    channel ``r`` times (:func:`_widened_index`), a layer reading widened channels divides its
    weights by ``r`` (it sums ``r`` copies), and attention queries are scaled by 1/sqrt(r)
    (the dot product sums ``r`` copies and the scale 1/sqrt(channels) shrinks by sqrt(r)). The
    encoder is then exact and every image keeps its codes, so decoders trained on them stay
    valid. The pixel decoder's copies get relative noise ``noise``: identical copies would get
    identical gradients and never learn apart."""
    if old_ddconfig.get("norm_groups") != model.ddconfig.get("norm_groups"):
        raise ValueError("widen_channels keeps the GroupNorm group count; "
                         f"{old_ddconfig.get('norm_groups')} -> {model.ddconfig.get('norm_groups')}")
    groups = int(model.ddconfig.get("norm_groups", 32))
    state = model.state_dict()
    gen = torch.Generator().manual_seed(0)
    for key, o in old.items():
        if key.startswith("quantize."):
            continue
        w = o.float()
        for dim in range(min(w.dim(), 2)):
            old_n, new_n = w.shape[dim], state[key].shape[dim]
            if old_n == new_n:
                continue
            if new_n % old_n:
                raise ValueError(f"{key}: {old_n} -> {new_n} channels is not a whole widening")
            w = w.index_select(dim, _widened_index(old_n, new_n, groups))
            if dim == 1:
                w = w / (new_n // old_n)
        if ".attn_1.q." in key:
            w = w / (state[key].shape[0] / o.shape[0]) ** 0.5
        if w.shape != o.shape and key.startswith("decoder.") and w.dim() > 1:
            w = w + noise * float(w.std()) * torch.randn(w.shape, generator=gen)
        state[key].copy_(w)
    model.load_state_dict(state)


def _crop_origin(rng, scene: "syn.Scene", crop: int):
    h, w = scene.height, scene.width
    if rng.random() < OBJECT_CROP_P:
        o = scene.objects[int(rng.integers(len(scene.objects)))]
        cx = o.cx + rng.uniform(-1, 1) * o.r
        cy = o.cy + rng.uniform(-1, 1) * o.r
        x0, y0 = int(round(cx - crop / 2)), int(round(cy - crop / 2))
    else:
        x0, y0 = int(rng.integers(0, w - crop + 1)), int(rng.integers(0, h - crop + 1))
    return min(max(y0, 0), h - crop), min(max(x0, 0), w - crop)


def kind_probabilities(rgb_share=None) -> np.ndarray:
    """How often each of KINDS is drawn: KIND_P, or with ``rgb_share`` that share for scene
    pictures and the rest in KIND_P's proportions (text to image and the round trips decode
    scene pictures only; the image-to-image answers are the other kinds)."""
    p = np.array(KIND_P, dtype=np.float64)
    if rgb_share is None:
        return p / p.sum()
    if not 0 < rgb_share < 1:
        raise ValueError(f"rgb share {rgb_share} is not between 0 and 1")
    rest = p[1:] / p[1:].sum() * (1 - rgb_share)
    return np.concatenate([[rgb_share], rest])


def _object_mask(imgs, kind: str) -> np.ndarray:
    """Where ``imgs[kind]`` shows an object: the segmentation's objects, and on the pose kinds
    the stick figure (the keypoint map's drawn pixels)."""
    if kind == "pose":
        return imgs["pose"].max(axis=-1) > 0
    objects = imgs["segmentation"].max(axis=-1) > 0
    if kind == "pose_rgb":
        return objects | np.any(imgs["pose_rgb"] != imgs["rgb"], axis=-1)
    return objects


def make_batch(rng: np.random.Generator, batch: int, crop: int, seed: int, counter: int,
               full: bool = False, kind_p=None, pose_share: float = 0.0):
    """Crops (mostly centred on objects) of every render kind, 2 kinds a scene; or, with
    ``full``, whole images of one scene size (batch // 2 of them). A scene is drawn with
    probability ``pose_share`` for POSE_KINDS instead (crops centred on the figure). → (pixels
    [B, 3, h, w], object masks [B, 1, h, w]: 1 where :func:`_object_mask` shows an object)."""
    p = kind_probabilities() if kind_p is None else kind_p
    xs, objects = [], []

    def add(imgs, kind, y0=0, x0=0, h=None, w=None):
        h = imgs["rgb"].shape[0] if h is None else h
        w = imgs["rgb"].shape[1] if w is None else w
        arr = imgs[kind][y0:y0 + h, x0:x0 + w]
        xs.append(to_pixels(np.ascontiguousarray(arr)))
        mask = _object_mask(imgs, kind)[y0:y0 + h, x0:x0 + w]
        objects.append(torch.from_numpy(mask.astype(np.float32))[None])

    def pose_scene() -> bool:  # no draw at all without pose: earlier runs keep their batches
        return pose_share > 0 and rng.random() < pose_share

    base = seed + VQ_SEED_OFFSET * 7 + counter * batch
    if full:
        size = syn.SCENE_SIZES[int(rng.integers(len(syn.SCENE_SIZES)))]
        for b in range(max(batch // 2, 1)):
            scene = syn.sample_scene(base + b, size=size)
            if pose_scene():
                add(syn.images(scene, POSE_KINDS), POSE_KINDS[int(rng.integers(len(POSE_KINDS)))])
            else:
                add(syn.render(scene), KINDS[int(rng.choice(len(KINDS), p=p))])
        return torch.stack(xs), torch.stack(objects)
    for b in range((batch + 1) // 2):
        scene = syn.sample_scene(base + b)
        if pose_scene():
            imgs = syn.images(scene, POSE_KINDS)
            for kind in POSE_KINDS:
                y0, x0 = _figure_crop_origin(rng, scene, crop)
                add(imgs, kind, y0, x0, crop, crop)
            continue
        imgs = syn.render(scene)
        for kind in rng.choice(len(KINDS), size=2, replace=False, p=p):
            y0, x0 = _crop_origin(rng, scene, crop)
            add(imgs, KINDS[int(kind)], y0, x0, crop, crop)
    return torch.stack(xs[:batch]), torch.stack(objects[:batch])


def _figure_crop_origin(rng, scene: "syn.Scene", crop: int):
    """A crop around one of the figure's keypoints (with jitter), inside the picture."""
    keypoints = list(syn.pose_of(scene).keypoints.values())
    cx, cy = keypoints[int(rng.integers(len(keypoints)))]
    x0 = int(round(cx + rng.uniform(-0.5, 0.5) * crop - crop / 2))
    y0 = int(round(cy + rng.uniform(-0.5, 0.5) * crop - crop / 2))
    return min(max(y0, 0), scene.height - crop), min(max(x0, 0), scene.width - crop)


def pixel_weights(objects: torch.Tensor, object_weight: float) -> torch.Tensor:
    """1 + ``object_weight`` on and within OBJECT_MARGIN pixels of an object, 1 elsewhere,
    scaled to a mean of 1 per image so the loss keeps its size. The pixel losses are means
    over mostly backdrop: a dark object on a dark backdrop differs from it by little, and its
    round trip came back as a blob that neither loss charged much."""
    k = 2 * OBJECT_MARGIN + 1
    near = F.max_pool2d(objects, kernel_size=k, stride=1, padding=OBJECT_MARGIN)
    w = 1 + object_weight * near
    return w / w.mean(dim=(-2, -1), keepdim=True)


def vq_forward(model: VQModel, x: torch.Tensor, freeze_encoder: bool = False):
    """→ (reconstruction, codes, commitment loss). Straight-through FSQ; with
    ``freeze_encoder`` no gradient reaches the encoder (and none is computed for it)."""
    with torch.set_grad_enabled(torch.is_grad_enabled() and not freeze_encoder):
        z = model.encode_latents(x)  # [B, D, h, w]
    q, codes = fsq_quantize(z.detach(), model.fsq_levels)
    commit = F.mse_loss(z, q) + F.relu(z.abs() - 1).pow(2).mean()
    zq_st = z + (q - z).detach()
    rec = model.decoder(model.post_quant_conv(zq_st))
    return rec, codes, commit


def edge_l1(rec: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Mean L1 distance between the horizontal and vertical pixel differences of two batches.

    Where the codes pin an edge down, the pixel losses charge a soft ramp little: a step of
    height h blurred over k pixels costs about k h / 4 in L1, so the round trips rounded the
    corners of squares and the tips of triangles. This term charges the same ramp
    2 h (k - 1) / k, about the step itself, and the sharp step nothing."""
    return ((rec.diff(dim=-1) - x.diff(dim=-1)).abs().mean()
            + (rec.diff(dim=-2) - x.diff(dim=-2)).abs().mean())


def new_model(seed: int, levels=FSQ_LEVELS) -> VQModel:
    torch.manual_seed(seed)
    model = VQModel(VQ_DDCONFIG, int(np.prod(levels)), len(levels))
    model.fsq_levels = tuple(int(v) for v in levels)
    init_codebook(model)
    return model


def checkpoint_levels(ck: dict) -> tuple:
    """The grid a checkpoint was trained with (those before it was recorded: FSQ_LEVELS)."""
    return tuple(int(v) for v in ck.get("fsq_levels", FSQ_LEVELS))


def load_vq(path: Path) -> VQModel:
    ck = torch.load(str(path), map_location="cpu")
    model = VQModel(ck["ddconfig"], ck["n_embed"], ck["embed_dim"])
    model.fsq_levels = checkpoint_levels(ck)
    model.load_state_dict(float_state(ck["model"]))
    return model.float().eval()


def save_checkpoint(run: Path, model, opt, step, elapsed, args):
    atomic_torch_save({"model": half_state(model.state_dict()), "fsq_levels": list(model.fsq_levels),
                       "step": step, "elapsed_s": elapsed, "ddconfig": model.ddconfig,
                       "n_embed": model.n_embed, "embed_dim": model.embed_dim,
                       "seed": args.seed, "freeze_encoder": bool(args.freeze_encoder)},
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
    """Encode→decode the held-out renders: segmentation mIoU, PSNR per kind, code usage, object
    colours, the share of scenes whose nearest object's shape the classifier reads from the
    round trip (what text to image's colour + shape score can reach at best), and the pose
    maps' keypoints read from theirs (PCK, :func:`synthetic.pose_pck`)."""
    from PIL import Image
    import json
    model.eval()
    idx = json.load(open(heldout / "index.json"))
    mious, psnr = [], {k: [] for k in KINDS}
    used = set()
    colour_ok, shape_ok, pck = [], [], []
    for s in idx["scenes"][:limit]:
        truth = json.load(open(heldout / f"{s['stem']}.json"))
        pose_map = heldout / f"{s['stem']}_pose.png"
        if pose_map.exists():
            arr = np.asarray(Image.open(pose_map).convert("RGB"))
            rec = to_uint8(model.decode_codes(model.encode_codes(to_pixels(arr)[None]))[0])
            figure = syn.Figure({n: tuple(p) for n, p in truth["pose"]["keypoints"].items()},
                                truth["pose"]["height"], truth["pose"]["colour"])
            pck.append(syn.pose_pck(syn.keypoints_from_map(rec), figure))
        for k in KINDS:
            arr = np.asarray(Image.open(heldout / f"{s['stem']}_{k}.png").convert("RGB"))
            codes = model.encode_codes(to_pixels(arr)[None])
            used.update(codes.flatten().tolist())
            rec = to_uint8(model.decode_codes(codes)[0])
            mse = np.mean((rec.astype(np.float64) - arr) ** 2)
            psnr[k].append(10 * np.log10(255 ** 2 / max(mse, 1e-9)))
            if k == "segmentation":
                mious.append(syn.miou(syn.answer_class_map(rec), syn.seg_class_map(arr)))
            if k == "rgb":
                scene = syn.sample_scene(truth["seed"], size=(truth["width"], truth["height"]))
                for o in scene.objects:
                    got = syn.object_colour(rec, scene, o)
                    if got is not None:
                        colour_ok.append(got == o.colour)
                shape_ok.append(syn.t2i_attributes(rec, scene)[1])
    return {"seg_miou": float(np.mean(mious)),
            "rgb_object_colour_match": float(np.mean(colour_ok)) if colour_ok else None,
            "rgb_objects_scored": len(colour_ok),
            "rgb_roundtrip_shape": float(np.mean(shape_ok)),
            # the keypoints read from the pose maps' round trips: what a pose answer reaches at best
            "pose_roundtrip_pck": float(np.mean(pck)) if pck else None,
            "psnr": {k: float(np.mean(v)) for k, v in psnr.items()},
            "codes_used_heldout": len(used), "scenes": min(limit, len(idx["scenes"]))}


def trained_parameters(model: VQModel, freeze_encoder: bool):
    """Everything but the fixed grid; with ``freeze_encoder`` only the pixel decoder's side
    (post_quant_conv + decoder), so every image keeps its codes."""
    if freeze_encoder:
        return [p for n, p in model.named_parameters()
                if n.startswith(("post_quant_conv.", "decoder."))]
    return [p for n, p in model.named_parameters() if not n.startswith("quantize.")]


def make_optimizer(model: VQModel, args):
    return torch.optim.Adam(trained_parameters(model, getattr(args, "freeze_encoder", False)),
                            lr=args.lr, betas=(0.9, 0.99))


def lr_at(args, frac: float) -> float:
    """Cosine from args.lr to 10 % of it over the time box (flat with --no-decay)."""
    if getattr(args, "no_decay", False):
        return args.lr
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(frac, 1.0))))


def run(args) -> None:
    run_dir = RUNS / "vq"
    run_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    resumed = args.resume and (run_dir / "last.pt").exists()
    ck = torch.load(str(run_dir / "last.pt"), map_location="cpu") if resumed else None
    levels = tuple(getattr(args, "fsq_levels", None) or (checkpoint_levels(ck) if ck else FSQ_LEVELS))
    model = new_model(args.seed, levels)
    opt = make_optimizer(model, args)
    step, elapsed0 = 0, 0.0
    if resumed:
        if len(levels) < int(ck["embed_dim"]):
            raise SystemExit(f"--fsq-levels {levels}: fewer dimensions than the checkpoint's "
                             f"{checkpoint_levels(ck)}; a grid can only be widened")
        narrower_latent = int(ck["embed_dim"]) < len(levels)
        narrower_channels = int(ck["ddconfig"]["ch"]) < int(VQ_DDCONFIG["ch"])
        if narrower_latent and narrower_channels:
            raise SystemExit(f"{run_dir / 'last.pt'} has fewer latent dimensions and channels: "
                             "widen one at a time (the latent with the checkpoint's ch first)")
        widened = narrower_latent or narrower_channels
        if narrower_latent:
            widen_latent(model, float_state(ck["model"]))
            log(f"widened the latent from {ck['embed_dim']} to {len(levels)} dimensions "
                f"({ck['n_embed']} -> {model.n_embed} codes)")
        elif narrower_channels:
            widen_channels(model, float_state(ck["model"]), ck["ddconfig"])
            log(f"widened the channels from {ck['ddconfig']['ch']} to {VQ_DDCONFIG['ch']} "
                f"(every image keeps its codes)")
        else:
            model.load_state_dict(float_state(ck["model"]))
        init_codebook(model)
        step, elapsed0 = int(ck["step"]), float(ck["elapsed_s"])
        # Adam's state holds one entry per trained parameter: it fits only the same set.
        same_params = bool(ck.get("freeze_encoder", False)) == bool(args.freeze_encoder)
        if not widened and same_params and (run_dir / "opt.pt").exists():
            o = torch.load(str(run_dir / "opt.pt"), map_location="cpu")
            if int(o["step"]) == step:
                opt.load_state_dict(o["opt"])
        rng = np.random.default_rng(args.seed + step)
        log(f"resumed vq at step {step} ({elapsed0:.0f} s trained)")
    curve = Curve(run_dir / "curve.csv", ["step", "loss", "rec_l1", "commit", "codes_used",
                                          "lr", "elapsed_s"])
    t0 = time.time()
    deadline = t0 + args.minutes * 60
    last_ck = t0
    model.train()
    acc, used = [], set()
    kind_p = kind_probabilities(args.rgb_share)
    while time.time() < deadline:
        lr = lr_at(args, (time.time() - t0) / (args.minutes * 60))
        for g in opt.param_groups:
            g["lr"] = lr
        full = step % FULL_EVERY == FULL_EVERY - 1
        x, objects = make_batch(rng, args.batch, args.crop, args.seed, step, full=full,
                                kind_p=kind_p, pose_share=getattr(args, "pose_share", 0.0))
        rec, codes, commit = vq_forward(model, x, args.freeze_encoder)
        w = pixel_weights(objects, args.object_weight)
        err = rec - x
        l1 = (err.abs() * w).mean()
        loss = l1 + (err.pow(2) * w).mean() + 0.1 * commit
        if args.edge_weight:
            loss = loss + args.edge_weight * edge_l1(rec, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        used.update(codes.flatten().tolist())
        acc.append((loss.item(), l1.item(), commit.item()))
        if step % 10 == 0:
            m = np.mean(acc, axis=0)
            acc = []
            el = elapsed0 + time.time() - t0
            curve.add(step=step, loss=f"{m[0]:.5f}", rec_l1=f"{m[1]:.5f}", commit=f"{m[2]:.5f}",
                      codes_used=len(used), lr=f"{lr:.2e}", elapsed_s=f"{el:.1f}")
            if step % 50 == 0:
                log(f"vq step {step} loss {m[0]:.4f} l1 {m[1]:.4f} commit {m[2]:.4f} "
                    f"codes {len(used)} lr {lr:.1e} ({el:.0f} s)")
                used = set()
        if time.time() - last_ck > args.checkpoint_minutes * 60:
            save_checkpoint(run_dir, model, opt, step, elapsed0 + time.time() - t0, args)
            last_ck = time.time()
    save_checkpoint(run_dir, model, opt, step, elapsed0 + time.time() - t0, args)
    log(f"vq stopped at step {step}; evaluating on the held-out set")
    res = evaluate(load_vq(run_dir / "last.pt"))
    res.update(step=step, trained_s=elapsed0 + time.time() - t0)
    atomic_json(res, run_dir / "eval.json")
    log(f"vq eval: {res}")
