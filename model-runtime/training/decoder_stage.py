"""Stages ``tokenize`` and ``decoder``: the small Chameleon decoder on the synthetic tasks.

Tokenize: scenes 0..N-1 (seed = scene index) are rendered, their five images (rgb, depth,
normals, segmentation, detect) encoded with runs/vq/last.pt and stored as codes in
runs/decoder/data/chunk_XXXX.npz (100 scenes a chunk, resumable).

Sequences (spec §4.1): [BOS] + prompt with ``<|image|>`` replaced by the input image's Uni-Rep
tokens (§1.3) + <reserved08706>, then the answer (Uni-Rep tokens of the answer image, or text)
+ <reserved08706>; next-token loss on the answer tokens only. About 10 % of image answers
also appear alone as the unconditional CFG stream sees them (§3.4): start-of-image, H, W, rows,
end-of-image, positions from 0, no BOS, no prompt.

Checkpoint: runs/decoder/last.npz (fp16 weights in the module layout of
lumina_export.decoder.ChameleonDecoder, compressed; never-used vocabulary rows are zero or
identical so they compress away) + runs/decoder/state.json; the AdamW state in opt.pt (not
committed, optional on resume).
"""

from __future__ import annotations

import functools
import json
import math
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from common import RUNS, Curve, atomic_json, atomic_torch_save, log
import synthetic as syn
from vq_stage import VQ_N_EMBED
from lumina_export import tokenizer_gen as tg
from lumina_export.decoder import ChameleonDecoder, DecoderConfig, prologue

DEC_DIR = RUNS / "decoder"
DATA_DIR = DEC_DIR / "data"
TOKENIZER_PATH = DEC_DIR / "tokenizer.json"


@functools.lru_cache(maxsize=None)
def codebook() -> int:
    """The codebook size of the runs folder's VQ (a new one's without it): the decoder's image
    ids are 4..3+size. Read on first use, not at import: the checkpoint is a few MB."""
    path = RUNS / "vq" / "last.pt"
    if not path.exists():
        return VQ_N_EMBED
    return int(torch.load(str(path), map_location="cpu")["n_embed"])


VOCAB = 9472
DEC_CFG = dict(hidden_size=128, num_layers=4, num_heads=4, intermediate_size=352,
               vocab_size=VOCAB, max_positions=1024, rms_norm_eps=1e-5, rope_theta=10000.0,
               qk_norm_groups=2, swin_norm=False, tie_word_embeddings=False)
BOS, PAD = 0, 1
SEP = tg.SEPARATOR_ID
IMG_START, IMG_END, EOL, SIZE_BASE = tg.IMAGE_START_ID, tg.IMAGE_END_ID, tg.END_OF_LINE_ID, \
    tg.SIZE_BASE_ID
IMG_FIRST = tg.IMAGE_TOKEN_FIRST
# Image kinds a chunk holds codes of, one row each; rows appended later (edit, pose_rgb, pose)
# are ABSENT in chunks made before them until ``--rewrite`` fills them in.
KINDS = ("rgb", "depth", "normals", "segmentation", "detect", "edit", "pose_rgb", "pose")
ABSENT = -1  # the codes of a kind a chunk was tokenized without (tokenize --kinds)
CHUNK = 100
UNCOND_FRACTION = 0.10


def tokenizer_corpus() -> List[str]:
    """Extra BPE corpus: the caption vocabulary, so captions take few tokens."""
    words = []
    for size in ("small", "large"):
        for c in syn.COLOURS:
            for s in syn.SHAPES:
                words.append(f"a {size} {c} {s} at the top left, the {c} {s}")
    words += ["at the top", "at the bottom", "at the left", "at the right", "at the top right",
              "at the bottom left", "at the bottom right", "in the center", " and ",
              "The image shows", "Detect: the", "Generate an image of 128x128 according to",
              "Generate an image of 160x96", "Generate an image of 96x160"]
    return words


def ensure_tokenizer() -> dict:
    if not TOKENIZER_PATH.exists():
        tg.make_tiny_tokenizer(VOCAB, TOKENIZER_PATH, codebook_size=codebook(),
                               extra_corpus=tokenizer_corpus())
    doc = json.load(open(TOKENIZER_PATH, encoding="utf-8"))
    vocab = doc["model"]["vocab"]
    merges = [tuple(m.split(" ", 1)) for m in doc["model"]["merges"]]
    return {"vocab": vocab, "merges": merges}


class TextEncoder:
    def __init__(self):
        t = ensure_tokenizer()
        self.vocab, self.merges = t["vocab"], t["merges"]
        self.cache: Dict[str, List[int]] = {}

    def __call__(self, text: str) -> List[int]:
        if text not in self.cache:
            self.cache[text] = tg.bpe_encode(text, self.vocab, self.merges) if text else []
        return self.cache[text]


def unirep(codes: np.ndarray, h_lat: int, w_lat: int) -> List[int]:
    """Spec §1.3 tokens of one image from its codes [h_lat*w_lat] (row-major)."""
    out = [IMG_START, SIZE_BASE + h_lat // 2, SIZE_BASE + w_lat // 2]
    c = np.asarray(codes[:h_lat * w_lat]).reshape(h_lat, w_lat)
    for row in c:
        out.extend(int(v) + IMG_FIRST for v in row)
        out.append(EOL)
    out.append(IMG_END)
    return out


# ---------------------------------------------------------------------------------------------
# Tokenization
# ---------------------------------------------------------------------------------------------

def tokenize(args) -> None:
    """Encodes the images of every scene below ``args.scenes`` into ``DATA_DIR`` chunks,
    skipping chunks that exist. ``args.rewrite`` (image kinds, e.g. ``("depth",)``) re-encodes
    those kinds in the existing chunks instead, keeping the others: after a change to how
    one kind is rendered, the decoder goes on with the same codes for the rest. (Encoded
    without the other kinds in the batch, a code at a rounding boundary can differ from a
    fresh tokenization's: torch's CPU kernels depend on the batch size.) ``args.shard`` (I, K)
    takes only the chunks I, I + K, ...: K jobs writing disjoint chunks of one folder.
    ``args.kinds`` limits new chunks to those kinds, the others' codes ``ABSENT``: text to image
    and captions need only rgb, a fifth of the encoding time; ``args.rewrite`` fills them in."""
    import vq_stage
    rewrite = tuple(getattr(args, "rewrite", ()) or ())
    new_kinds = tuple(getattr(args, "kinds", ()) or KINDS)
    for option, kinds in (("--rewrite", rewrite), ("--kinds", new_kinds)):
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise SystemExit(f"{option}: unknown image kind(s) {unknown}; choose from {','.join(KINDS)}")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    ensure_tokenizer()
    vq = vq_stage.load_vq(RUNS / "vq" / "last.pt")
    n_chunks = math.ceil(args.scenes / CHUNK)
    t0 = time.time()
    shard, shards = getattr(args, "shard", (0, 1))
    for ci in range(shard, n_chunks, shards):
        path = DATA_DIR / f"chunk_{ci:04d}.npz"
        if path.exists() != bool(rewrite):  # new chunks are made, existing ones rewritten
            continue
        if rewrite:
            with np.load(path) as d:
                codes, hw, seeds = chunk_codes(d), d["hw"].copy(), d["seeds"].copy()
        else:
            codes = np.zeros((CHUNK, len(KINDS), 64), dtype=np.int16)
            codes[:, [KINDS.index(k) for k in KINDS if k not in new_kinds]] = ABSENT
            hw = np.zeros((CHUNK, 2), dtype=np.int16)
            seeds = np.arange(ci * CHUNK, (ci + 1) * CHUNK)
        kinds = rewrite or new_kinds
        rows = [KINDS.index(k) for k in kinds]
        with torch.no_grad():
            for j, seed in enumerate(seeds):
                imgs = syn.images(syn.sample_scene(int(seed)), kinds)
                x = torch.stack([vq_stage.to_pixels(np.ascontiguousarray(imgs[k]))
                                 for k in kinds])
                c = vq.encode_codes(x)  # [kinds, h, w]
                if rewrite and tuple(c.shape[1:]) != tuple(int(v) for v in hw[j]):
                    raise SystemExit(f"{path}: scene {seed} is {tuple(c.shape[1:])} tokens now, "
                                     f"{tuple(hw[j])} in the chunk: tokenize afresh")
                hw[j] = c.shape[1:]
                codes[j, rows, :c.shape[1] * c.shape[2]] = c.reshape(len(kinds), -1).numpy()
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, codes=codes, hw=hw, seeds=seeds)
        tmp.replace(path)
        log(f"tokenized chunk {ci} ({', '.join(kinds)}; {(ci + 1) * CHUNK} scenes, "
            f"{time.time() - t0:.0f} s)")


def chunk_codes(chunk) -> np.ndarray:
    """A chunk's codes [scenes, KINDS, 64], the rows of kinds added since it was made ABSENT."""
    codes = chunk["codes"]
    missing = len(KINDS) - codes.shape[1]
    return np.concatenate([codes, np.full((codes.shape[0], missing, codes.shape[2]), ABSENT, codes.dtype)], axis=1)


def load_codes(n_scenes: int):
    out = []
    for ci in range(math.ceil(n_scenes / CHUNK)):
        path = DATA_DIR / f"chunk_{ci:04d}.npz"
        if not path.exists():
            break
        d = np.load(path)
        codes = chunk_codes(d)
        for j in range(len(d["seeds"])):
            out.append((int(d["seeds"][j]), codes[j], tuple(int(v) for v in d["hw"][j])))
    return out[:n_scenes]


def build_samples(scene_codes, seed: int, tasks: Sequence[str] = syn.TASK_IDS,
                  repeats: Optional[Dict[str, int]] = None) -> List[Tuple[List[int], int]]:
    """(ids, answer_start) pairs of the given tasks: loss on ids[answer_start:] (predicted from
    the previous). ``repeats`` gives a task's samples that many times an epoch: the loss is a
    mean over answer tokens, so a caption (~25 tokens) weighs a third of a picture (~70).
    A scene gives no samples to the tasks whose image kinds it was tokenized without."""
    repeats = repeats or {}
    templates = syn.load_templates()
    enc = TextEncoder()
    rng = np.random.default_rng(seed)
    samples = []
    for sseed, codes, (h, w) in scene_codes:
        scene = syn.sample_scene(sseed)
        reps = {k: unirep(codes[i], h, w) for i, k in enumerate(KINDS) if codes[i][0] != ABSENT}
        for task in tasks:
            key = syn.task_answer_key(task)
            for source in syn.task_input_keys(task) or (None,):
                if not {key, source} - {"text", None} <= reps.keys():
                    continue  # a scene tokenized without this task's kinds
                parts = syn.task_prompt(task, scene, templates).split(tg.IMAGE_PLACEHOLDER)
                ids = [BOS]
                for pi, part in enumerate(parts):
                    ids += enc(part)
                    if pi < len(parts) - 1:
                        ids += reps[source]
                ids.append(SEP)
                start = len(ids)
                if key == "text":
                    ids += enc(syn.describe_answer(scene))
                else:
                    ids += reps[key]
                    if rng.random() < UNCOND_FRACTION:
                        samples.append((list(reps[key]), 1))
                ids.append(SEP)
                samples += [(ids, start)] * repeats.get(task, 1)
    return samples


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------

def live_ids() -> np.ndarray:
    """Ids the training data can contain; the other rows of embed/lm_head start at zero."""
    ids = set(range(0, IMG_FIRST + codebook()))
    ids |= {IMG_END, IMG_START, SEP, EOL}
    ids |= set(range(SIZE_BASE, SIZE_BASE + 16))
    ids |= set(range(tg.TEXT_BASE_ID, VOCAB))
    return np.array(sorted(ids))


def new_model(seed: int) -> ChameleonDecoder:
    cfg = DecoderConfig(**DEC_CFG).validate()
    torch.manual_seed(seed)
    m = ChameleonDecoder(cfg)
    live = torch.from_numpy(live_ids())
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith("norm.weight") and p.dim() == 1:
                p.fill_(1.0)
            elif "q_norm" in name or "k_norm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name == "model.embed_tokens.weight":
                w = torch.zeros_like(p)
                w[live] = torch.randn(len(live), p.shape[1]) * 0.02 * math.sqrt(p.shape[1]) / 4
                p.copy_(w)
            elif name == "lm_head.weight":  # [in, out]
                w = torch.zeros_like(p)
                w[:, live] = torch.randn(p.shape[0], len(live)) * 0.02
                p.copy_(w)
            else:  # MatMulLinear [in, out]
                std = 1.0 / math.sqrt(p.shape[0])
                if name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                    std /= math.sqrt(2 * cfg.num_layers)
                p.normal_(0.0, std)
    return m


class LiveVocab:
    """Softmax over the live ids plus ONE lumped class for all never-used ids.

    The never-used lm_head columns start at zero and, under a full softmax, would get identical
    gradients forever (they are never targets), so they stay equal to each other: training them
    as one shared column ``dead0`` with logit ``h·w + log(n_dead)`` is the same as the full
    softmax, ~9x cheaper. :func:`sync_dead` copies the shared column to all dead columns."""

    def __init__(self, vocab: int):
        live = live_ids()
        dead = np.setdiff1d(np.arange(vocab), live)
        self.live = torch.from_numpy(live)
        self.dead = torch.from_numpy(dead)
        self.dead0 = int(dead[0])
        self.log_n_dead = float(math.log(len(dead)))
        remap = torch.full((vocab,), -1, dtype=torch.int64)
        remap[self.live] = torch.arange(len(live))
        self.remap = remap
        self.cols = torch.cat([self.live, torch.tensor([self.dead0])])


_LIVE = None


def live_vocab() -> LiveVocab:
    global _LIVE
    if _LIVE is None:
        _LIVE = LiveVocab(VOCAB)
    return _LIVE


@torch.no_grad()
def sync_dead(model: ChameleonDecoder) -> None:
    lv = live_vocab()
    w = model.lm_head.weight  # [in, out]
    w[:, lv.dead] = w[:, lv.dead0:lv.dead0 + 1]


def forward_loss(model: ChameleonDecoder, ids: torch.Tensor, mask: torch.Tensor,
                 loss_mask: torch.Tensor) -> torch.Tensor:
    """Mean next-token loss over positions where loss_mask[:, t] (target ids[:, t])."""
    cfg = model.cfg
    B, S = ids.shape
    pos = torch.arange(S).unsqueeze(0).expand(B, S)
    hidden, bias, cos, sin = prologue(model.model.embed_tokens.weight, ids, mask, pos,
                                      cfg.head_dim, cfg.rope_theta)
    empty = torch.zeros(B, cfg.num_heads, 0, cfg.head_dim)
    for layer in model.model.layers:
        hidden, _, _ = layer(hidden, bias, cos, sin, empty, empty)
    sel = loss_mask[:, 1:]  # predict t from t-1
    h = model.model.norm(hidden[:, :-1][sel])
    lv = live_vocab()
    logits = h @ model.lm_head.weight[:, lv.cols]
    logits[:, -1] += lv.log_n_dead
    return F.cross_entropy(logits, lv.remap[ids[:, 1:][sel]])


def collate(batch: Sequence[Tuple[List[int], int]]):
    S = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), S), PAD, dtype=torch.int64)
    mask = torch.zeros((len(batch), S), dtype=torch.int64)
    lmask = torch.zeros((len(batch), S), dtype=torch.bool)
    for b, (seq, start) in enumerate(batch):
        ids[b, :len(seq)] = torch.tensor(seq)
        mask[b, :len(seq)] = 1
        lmask[b, start:len(seq)] = True
    return ids, mask, lmask


def save_checkpoint(model, opt, step, elapsed, args, extra=None):
    DEC_DIR.mkdir(parents=True, exist_ok=True)
    sync_dead(model)
    arrays = {k.replace(".", "__"): v.detach().numpy().astype(np.float16)
              for k, v in model.state_dict().items()}
    tmp = DEC_DIR / "last.tmp.npz"
    np.savez_compressed(tmp, **arrays)
    tmp.replace(DEC_DIR / "last.npz")
    state = {"step": step, "elapsed_s": elapsed, "seed": args.seed, "config": DEC_CFG,
             "codebook_size": codebook(), "scenes": args.scenes, "lr": args.lr,
             "batch": args.batch, "tasks": list(args.tasks), "repeat": dict(args.repeat)}
    state.update(extra or {})
    atomic_json(state, DEC_DIR / "state.json")
    atomic_torch_save({"opt": opt.state_dict(), "step": step}, DEC_DIR / "opt.pt")


def widen_codebook(weights: Dict[str, np.ndarray], old: int, new: int) -> Dict[str, np.ndarray]:
    """A decoder's weights for a VQ whose grid widened from ``old`` to ``new`` codes with the old
    codes as a prefix (``vq_stage.widen_latent`` onto a grid with more dimensions: new code c
    lies in old code c // (new // old)). Every new code takes its old code's embedding row and
    head column, so the decoder starts where it was, each old code's probability shared among its
    new ones (in an image, where only image ids are sampled, that is the old distribution)."""
    if new % old:
        raise ValueError(f"{old} -> {new} codes: not a whole widening of the grid")
    parent = IMG_FIRST + np.arange(new) // (new // old)
    out = dict(weights)
    out["model__embed_tokens__weight"] = embed = weights["model__embed_tokens__weight"].copy()
    embed[IMG_FIRST:IMG_FIRST + new] = weights["model__embed_tokens__weight"][parent]
    out["lm_head__weight"] = head = weights["lm_head__weight"].copy()  # [in, out]
    head[:, IMG_FIRST:IMG_FIRST + new] = weights["lm_head__weight"][:, parent]
    return out


def widen_tokenizer(doc: dict, new: int) -> dict:
    """``doc`` (a tokenizer.json) with image-token names for codes up to ``new``: the ids stay
    where they are and the text merges unchanged (make_tiny_tokenizer keeps unused image ids as
    ``<|imgunusedN|>`` entries)."""
    names = {f"<|imgunused{code}|>": tg.image_token_name(code) for code in range(new)}
    doc["model"]["vocab"] = {names.get(name, name): i for name, i in doc["model"]["vocab"].items()}
    return doc


def load_model(path: Path = DEC_DIR / "last.npz") -> ChameleonDecoder:
    model = ChameleonDecoder(DecoderConfig(**DEC_CFG).validate())
    d = np.load(path)
    model.load_module_state({k.replace("__", "."): d[k].astype(np.float32) for k in d.files})
    return model


def make_optimizer(model, lr):
    """AdamW with weight decay on the projection matrices and the head only (not on norms or
    the embedding)."""
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if n.endswith("proj.weight") or n == "lm_head.weight" else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                              {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.98))


def carry_to_codebook(old: int) -> None:
    """Widens the runs folder's decoder checkpoint and tokenizer from ``old`` codes to the VQ's
    :func:`codebook` (:func:`widen_codebook`, :func:`widen_tokenizer`), in place."""
    with np.load(DEC_DIR / "last.npz") as d:
        weights = widen_codebook({k: d[k] for k in d.files}, old, codebook())
    tmp = DEC_DIR / "last.tmp.npz"
    np.savez_compressed(tmp, **weights)
    tmp.replace(DEC_DIR / "last.npz")
    doc = widen_tokenizer(json.load(open(TOKENIZER_PATH, encoding="utf-8")), codebook())
    atomic_json(doc, TOKENIZER_PATH)
    state = json.load(open(DEC_DIR / "state.json"))
    atomic_json(dict(state, codebook_size=codebook()), DEC_DIR / "state.json")  # not carried twice
    log(f"carried the decoder from {old} to {codebook()} codes (each old code's row to its new ones)")


def run(args) -> None:
    DEC_DIR.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    deadline = t_start + args.minutes * 60
    tokenize(args)
    scene_codes = load_codes(args.scenes)
    samples = build_samples(scene_codes, args.seed, args.tasks, dict(args.repeat))
    log(f"{len(scene_codes)} scenes, {len(samples)} samples of {','.join(args.tasks)}, "
        f"max length {max(len(s) for s, _ in samples)}")
    model = new_model(args.seed)
    opt = make_optimizer(model, args.lr)
    step, elapsed0 = 0, 0.0
    if args.resume and (DEC_DIR / "last.npz").exists():
        st = json.load(open(DEC_DIR / "state.json"))
        widened = int(st["codebook_size"]) < codebook()
        if widened:
            carry_to_codebook(int(st["codebook_size"]))
        model = load_model()
        step, elapsed0 = int(st["step"]), float(st["elapsed_s"])
        opt = make_optimizer(model, args.lr)
        if not widened and (DEC_DIR / "opt.pt").exists():
            o = torch.load(str(DEC_DIR / "opt.pt"), map_location="cpu")
            if int(o["step"]) == step:
                opt.load_state_dict(o["opt"])
        log(f"resumed decoder at step {step} ({elapsed0:.0f} s trained)")
    curve = Curve(DEC_DIR / "curve.csv", ["step", "loss", "lr", "epoch", "elapsed_s"])
    rng = np.random.default_rng(args.seed + step)
    order = rng.permutation(len(samples))
    pos = 0
    t0 = time.time()
    last_ck = t0
    acc = []
    warmup = 150
    model.train()
    while time.time() < deadline:
        if pos + args.batch > len(order):
            order, pos = rng.permutation(len(samples)), 0
        batch = [samples[i] for i in order[pos:pos + args.batch]]
        pos += args.batch
        lr = args.lr * min(1.0, (step + 1) / warmup)
        if not getattr(args, "no_decay", False):  # cosine to 10 % over this run's time box
            frac = min((time.time() - t_start) / (args.minutes * 60), 1.0)
            lr *= 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g["lr"] = lr
        ids, mask, lmask = collate(batch)
        loss = forward_loss(model, ids, mask, lmask)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        acc.append(loss.item())
        if step % 10 == 0:
            el = elapsed0 + time.time() - t0
            curve.add(step=step, loss=f"{np.mean(acc):.5f}", lr=f"{lr:.2e}",
                      epoch=f"{step * args.batch / len(samples):.3f}", elapsed_s=f"{el:.1f}")
            if step % 50 == 0:
                log(f"decoder step {step} loss {np.mean(acc):.4f} ({el:.0f} s)")
            acc = []
        if time.time() - last_ck > args.checkpoint_minutes * 60:
            save_checkpoint(model, opt, step, elapsed0 + time.time() - t0, args)
            last_ck = time.time()
    save_checkpoint(model, opt, step, elapsed0 + time.time() - t0, args)
    log(f"decoder stopped at step {step}")
