#!/usr/bin/env python3
"""What a GPU decode step costs, and what moving its KV cache through host memory would add.

The ONNX Runtime Java API has no IO binding, so a decoder session run from Java returns its
KV cache ("present") to host memory and takes it back as "past" at the next step. This
script measures, with PyTorch on one CUDA device and random weights of a Chameleon-7B shape
(hidden 4096, 32 layers, 32 heads of 128, SwiGLU 11008, vocab 65536, fp16):

* the time of one decode step with batched CFG (batch 2: conditional + unconditional row)
  over a preallocated cache, at several past lengths up to the ~2,400 tokens of a 768x768
  image, run eagerly and replayed as a CUDA graph (no launch overhead);
* the time of copying that step's whole KV cache device -> host -> device (pinned and
  pageable host memory), i.e. the per-step price of a cache that lives on the host;
* the per-image totals these imply for a 768x768 text-to-image (48x48 codes + 48
  end-of-line tokens + structure, ~2,357 steps), next to the memory-bandwidth floor.

The last stdout line is one JSON object with every figure. Usage (GPU machine):

    python3 gpu_decode_step_bench.py --out result.json

`--tiny` runs a 2-layer, hidden-256 model, on the CPU when no GPU is present, to check the
script itself.
"""
import argparse
import json
import math
import statistics
import time

import torch


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tiny", action="store_true", help="small shapes, to check the script")
    p.add_argument("--lengths", default="256,1024,2048,2400",
                   help="past lengths (tokens per stream) to time a step at")
    p.add_argument("--steps", type=int, default=20, help="timed steps per measurement")
    p.add_argument("--image-steps", type=int, default=2357,
                   help="decode steps of one 768x768 image (48*49 + structure)")
    p.add_argument("--out", help="also write the JSON report here")
    return p.parse_args()


class Shape:
    def __init__(self, tiny):
        self.hidden = 256 if tiny else 4096
        self.layers = 2 if tiny else 32
        self.heads = 4 if tiny else 32
        self.head_dim = self.hidden // self.heads
        self.ffn = 688 if tiny else 11008
        self.vocab = 9216 if tiny else 65536

    def weight_bytes(self, itemsize):
        per_layer = 4 * self.hidden * self.hidden + 3 * self.hidden * self.ffn
        return (self.layers * per_layer + 2 * self.vocab * self.hidden) * itemsize

    def kv_bytes_per_token(self, itemsize):
        """Keys and values of one token of one stream, all layers."""
        return 2 * self.layers * self.hidden * itemsize


class RandomChameleon:
    """Random weights laid out as the exported decoder computes them (spec §6.1)."""

    def __init__(self, shape, device, dtype, max_len, batch):
        g = torch.Generator(device=device).manual_seed(1)
        s = shape

        def w(*dims):   # drawn on the device: 7B of host-side random numbers would take minutes
            return (torch.randn(*dims, generator=g, device=device, dtype=dtype) * 0.02)

        self.s, self.dtype = s, dtype
        self.embed = w(s.vocab, s.hidden)
        self.lm_head = w(s.hidden, s.vocab)
        self.layers = []
        for _ in range(s.layers):
            self.layers.append(dict(
                qkv=w(s.hidden, 3 * s.hidden), o=w(s.hidden, s.hidden),
                gate_up=w(s.hidden, 2 * s.ffn), down=w(s.ffn, s.hidden),
                in_norm=torch.ones(s.hidden, device=device, dtype=dtype),
                post_norm=torch.ones(s.hidden, device=device, dtype=dtype),
                q_norm=torch.ones(s.head_dim, device=device, dtype=dtype),
                k_norm=torch.ones(s.head_dim, device=device, dtype=dtype)))
        self.final_norm = torch.ones(s.hidden, device=device, dtype=dtype)
        # A preallocated cache written in place: the layout a device-resident cache would use.
        self.k_cache = [torch.zeros(batch, s.heads, max_len, s.head_dim, device=device, dtype=dtype)
                        for _ in range(s.layers)]
        self.v_cache = [torch.zeros_like(k) for k in self.k_cache]
        inv = 1.0 / (10000 ** (torch.arange(0, s.head_dim, 2, device=device).float() / s.head_dim))
        self.inv_freq = inv

    @staticmethod
    def rms(x, weight, eps=1e-5):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * weight

    def rope(self, x, pos):
        freqs = pos.float()[:, None] * self.inv_freq[None, :]            # [B, d/2]
        emb = torch.cat([freqs, freqs], dim=-1)[:, None, None, :]         # [B,1,1,d]
        x1, x2 = x.float().chunk(2, dim=-1)
        rotated = torch.cat([-x2, x1], dim=-1)
        return (x.float() * emb.cos() + rotated * emb.sin()).to(x.dtype)

    def step(self, tokens, pos, past_len):
        """One decode step: tokens [B], positions [B], attending to cache[:past_len] + itself."""
        s = self.s
        b = tokens.shape[0]
        h = self.embed[tokens][:, None, :]                                # [B,1,H]
        for i, L in enumerate(self.layers):
            x = self.rms(h, L["in_norm"])
            q, k, v = (x @ L["qkv"]).view(b, 1, 3, s.heads, s.head_dim).unbind(2)
            q = torch.nn.functional.layer_norm(q, (s.head_dim,), L["q_norm"])
            k = torch.nn.functional.layer_norm(k, (s.head_dim,), L["k_norm"])
            q = self.rope(q.transpose(1, 2), pos)                         # [B,h,1,d]
            k = self.rope(k.transpose(1, 2), pos)
            self.k_cache[i][:, :, past_len:past_len + 1] = k
            self.v_cache[i][:, :, past_len:past_len + 1] = v.transpose(1, 2)
            keys = self.k_cache[i][:, :, :past_len + 1]
            values = self.v_cache[i][:, :, :past_len + 1]
            if hasattr(torch.nn.functional, "scaled_dot_product_attention"):
                a = torch.nn.functional.scaled_dot_product_attention(q, keys, values)
            else:
                att = (q @ keys.transpose(-1, -2)) / math.sqrt(s.head_dim)
                a = att.float().softmax(-1).to(q.dtype) @ values
            h = h + a.transpose(1, 2).reshape(b, 1, s.hidden) @ L["o"]
            x = self.rms(h, L["post_norm"])
            gate, up = (x @ L["gate_up"]).chunk(2, dim=-1)
            h = h + (torch.nn.functional.silu(gate) * up) @ L["down"]
        return (self.rms(h, self.final_norm) @ self.lm_head).float()


def timer(device):
    if device.type == "cuda":
        def timed(fn, n):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            samples = []
            for _ in range(n):
                start.record()
                fn()
                end.record()
                end.synchronize()
                samples.append(start.elapsed_time(end))
            return statistics.median(samples)
    else:
        def timed(fn, n):
            samples = []
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - t0) * 1e3)
            return statistics.median(samples)
    return timed


def main():
    args = parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cpu" and not args.tiny:
        raise SystemExit("no CUDA device: run with --tiny to check the script on the CPU")
    dtype = torch.float16 if device.type == "cuda" else torch.float32
    itemsize = torch.tensor([], dtype=dtype).element_size()
    shape = Shape(args.tiny)
    lengths = [int(x) for x in args.lengths.split(",")]
    if args.tiny:
        lengths = [min(x, 256) for x in lengths]
    max_len = max(lengths) + 2
    timed = timer(device)
    torch.set_grad_enabled(False)

    report = {"device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
              "torch": torch.__version__, "dtype": str(dtype).replace("torch.", ""),
              "shape": vars(shape), "weight_bytes": shape.weight_bytes(itemsize),
              "kv_bytes_per_token_per_stream": shape.kv_bytes_per_token(itemsize)}
    t0 = time.perf_counter()
    batched = RandomChameleon(shape, device, dtype, max_len, batch=2)
    single = RandomChameleon.__new__(RandomChameleon)
    single.__dict__.update(batched.__dict__)   # same weights, a batch-1 cache of its own
    single.k_cache = [k[:1].clone() for k in batched.k_cache]
    single.v_cache = [v[:1].clone() for v in batched.v_cache]
    report["setup_s"] = round(time.perf_counter() - t0, 1)

    rows = []
    for past in lengths:
        tok2 = torch.tensor([5, 5], device=device)
        pos2 = torch.tensor([past, past - 3], device=device)   # unconditional row starts later
        tok1, pos1 = tok2[:1], pos2[:1]
        for _ in range(3):
            batched.step(tok2, pos2, past)
        eager_batched = timed(lambda: batched.step(tok2, pos2, past), args.steps)
        eager_two_singles = timed(lambda: (single.step(tok1, pos1, past),
                                           single.step(tok1, pos1, past)), args.steps)
        row = {"past_len": past, "eager_batched_cfg_ms": round(eager_batched, 3),
               "eager_unbatched_cfg_ms": round(eager_two_singles, 3)}
        if device.type == "cuda":
            stream = torch.cuda.Stream()
            stream.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(stream):
                for _ in range(3):
                    batched.step(tok2, pos2, past)
            torch.cuda.current_stream().wait_stream(stream)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                batched.step(tok2, pos2, past)
            row["graph_batched_cfg_ms"] = round(timed(graph.replay, args.steps * 3), 3)
            del graph
        # The whole cache of this step (both streams, all layers, keys and values).
        cache_bytes = 2 * (past + 1) * shape.kv_bytes_per_token(itemsize)
        row["kv_cache_bytes"] = cache_bytes
        if device.type == "cuda":
            src = torch.empty(cache_bytes // itemsize, device=device, dtype=dtype)
            for kind, pinned in (("pinned", True), ("pageable", False)):
                host = torch.empty(src.shape, dtype=dtype, pin_memory=pinned)
                back = torch.empty_like(src)

                def round_trip():
                    host.copy_(src, non_blocking=pinned)
                    back.copy_(host, non_blocking=pinned)
                round_trip()
                torch.cuda.synchronize()
                row[f"kv_round_trip_{kind}_ms"] = round(timed(round_trip, 5), 3)
                del host, back
            del src
        rows.append(row)
        print(json.dumps(row), flush=True)
    report["steps"] = rows

    # Per-image totals: a step's cost grows about linearly with the past length, so integrate
    # the measured points (piecewise linear, extrapolated flat below the first length).
    def per_image(key):
        if key not in rows[0]:
            return None
        pts = [(0, rows[0][key])] + [(r["past_len"], r[key]) for r in rows]
        total = 0.0
        for step in range(args.image_steps):
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                if step <= x1 or (x1, y1) == pts[-1]:
                    slope = (y1 - y0) / (x1 - x0) if x1 > x0 else 0.0
                    total += y0 + slope * (step - x0)
                    break
        return round(total / 1e3, 2)

    report["image_steps"] = args.image_steps
    report["per_768_image_s"] = {k: per_image(k) for k in (
        "eager_batched_cfg_ms", "eager_unbatched_cfg_ms", "graph_batched_cfg_ms",
        "kv_round_trip_pinned_ms", "kv_round_trip_pageable_ms")}
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(0)
        report["device_memory_bytes"] = props.total_memory
    print(json.dumps(report), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
