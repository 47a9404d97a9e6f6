"""Random-weight checkpoints of the Lumina-mGPT architecture with the real token layout.

:func:`random_checkpoint` builds a Hugging Face layout checkpoint in memory (``config.json``
dict + state dict with HF names, bfloat16 like the released checkpoints); the exporter then runs
the same conversion code as for a real checkpoint (``--tiny``).

The weights are scaled so that activations and logits have a spread of order one (not the
0.02-std initialisation of training): nearly flat logits would make parity tests weak.
"""

from __future__ import annotations

import math
from typing import Dict, Tuple

import torch

from .decoder import DecoderConfig

__all__ = ["TINY_DEFAULTS", "default_intermediate", "tiny_config", "random_state",
           "random_checkpoint"]

# The committed tiny bundle (model-runtime/models/tiny-random).
TINY_DEFAULTS = dict(hidden=64, layers=2, heads=4, intermediate=176, vocab=9216,
                     max_positions=1536, model_parallel_size=2, target_size=512)

# The real token layout needs ids up to 8899 (reserved tokens) plus some text tokens.
MIN_VOCAB = 8960


def default_intermediate(hidden: int) -> int:
    """Llama-style SwiGLU width: 8/3 * hidden rounded up to a multiple of 16 (64 -> 176;
    with a multiple of 256 instead, 4096 -> 11008)."""
    return int(math.ceil(hidden * 8 / 3 / 16) * 16)


def tiny_config(hidden: int = 64, layers: int = 2, heads: int = 4,
                intermediate: int = None, vocab: int = 9216, max_positions: int = 1536,
                model_parallel_size: int = 2) -> DecoderConfig:
    if vocab < MIN_VOCAB:
        raise ValueError(f"--vocab {vocab} is too small for the real token layout "
                         f"(needs >= {MIN_VOCAB}: ids up to 8899 are image/special tokens)")
    mp = model_parallel_size
    if heads % mp != 0:
        mp = 1
    return DecoderConfig(
        hidden_size=hidden, num_layers=layers, num_heads=heads,
        intermediate_size=intermediate or default_intermediate(hidden), vocab_size=vocab,
        max_positions=max_positions, rms_norm_eps=1e-5, rope_theta=10000.0,
        qk_norm_groups=mp, swin_norm=False, tie_word_embeddings=False).validate()


def random_state(cfg: DecoderConfig, seed: int,
                 dtype: torch.dtype = torch.bfloat16) -> Dict[str, torch.Tensor]:
    """HF-named, HF-layout random weights (linear weights ``[out, in]``)."""
    g = torch.Generator().manual_seed(int(seed))
    h, i_, v, mp, d = (cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size,
                       cfg.qk_norm_groups, cfg.head_dim)

    def lin(out_f: int, in_f: int, gain: float = 1.0) -> torch.Tensor:
        return torch.randn(out_f, in_f, generator=g) * (gain / math.sqrt(in_f))

    def around(shape: Tuple[int, ...], center: float, spread: float) -> torch.Tensor:
        return center + spread * torch.randn(*shape, generator=g)

    state: Dict[str, torch.Tensor] = {"model.embed_tokens.weight": torch.randn(v, h, generator=g)}
    for layer in range(cfg.num_layers):
        p = f"model.layers.{layer}."
        state[p + "self_attn.q_proj.weight"] = lin(h, h)
        state[p + "self_attn.k_proj.weight"] = lin(h, h)
        state[p + "self_attn.v_proj.weight"] = lin(h, h)
        state[p + "self_attn.o_proj.weight"] = lin(h, h, 0.5)
        # q/k-norm rows differ per model-parallel group, so the repeat-interleave matters
        state[p + "self_attn.q_norm.weight"] = around((mp, d), 1.0, 0.3)
        state[p + "self_attn.q_norm.bias"] = around((mp, d), 0.0, 0.2)
        state[p + "self_attn.k_norm.weight"] = around((mp, d), 1.0, 0.3)
        state[p + "self_attn.k_norm.bias"] = around((mp, d), 0.0, 0.2)
        state[p + "mlp.gate_proj.weight"] = lin(i_, h)
        state[p + "mlp.up_proj.weight"] = lin(i_, h)
        state[p + "mlp.down_proj.weight"] = lin(h, i_, 0.5)
        state[p + "input_layernorm.weight"] = around((h,), 1.0, 0.1)
        state[p + "post_attention_layernorm.weight"] = around((h,), 1.0, 0.1)
    state["model.norm.weight"] = around((h,), 1.0, 0.1)
    state["lm_head.weight"] = lin(v, h, 2.0)
    return {k: t.to(dtype) for k, t in state.items()}


def random_checkpoint(cfg: DecoderConfig, seed: int) -> Tuple[dict, Dict[str, torch.Tensor]]:
    """(config.json dict, state dict) of a random checkpoint."""
    return cfg.to_hf(), random_state(cfg, seed)
