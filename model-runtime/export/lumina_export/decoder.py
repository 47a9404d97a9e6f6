"""The Chameleon decoder as Lumina-mGPT uses it (spec §6.1), in plain torch.

Every size comes from the checkpoint's ``config.json`` (:class:`DecoderConfig`). The module is
written for two jobs:

* it is traced piece by piece (:class:`Prologue`, :class:`DecoderLayer`, :class:`Epilogue`) to
  build ``decoder.onnx`` (see :mod:`lumina_export.onnx_assembly`), so the graph computes exactly
  what this code computes;
* it computes the torch reference logits (with an explicit KV cache) and runs the torch
  benchmark.

Weight layout: every linear weight (``*_proj.weight``, ``lm_head.weight``) is held TRANSPOSED,
``[in_features, out_features]``, the layout of ONNX ``MatMul``'s B input, under its Hugging Face
name. :func:`hf_to_module_layout` converts a checkpoint tensor. The embedding, the norms and the
q/k-norm parameters keep the checkpoint's shape (q/k-norm: ``[model_parallel_size, head_dim]``,
repeat-interleaved over the heads in the forward pass, as in Lumina's ``ChameleonLayerNorm``).
"""

from __future__ import annotations

import dataclasses
import math
from typing import List, Mapping, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = [
    "ConfigError",
    "DecoderConfig",
    "MatMulLinear",
    "RMSNorm",
    "QKNorm",
    "Attention",
    "MLP",
    "DecoderLayer",
    "SharedBufferDecoderLayer",
    "GroupQueryAttention",
    "KV_LAYOUTS",
    "Prologue",
    "SharedBufferPrologue",
    "Epilogue",
    "prologue",
    "epilogue",
    "causal_bias",
    "ChameleonDecoder",
    "LINEAR_SUFFIXES",
    "hf_to_module_layout",
    "is_linear_weight",
    "layer_param_names",
]

LINEAR_SUFFIXES = (
    "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
    "self_attn.o_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight",
    "mlp.down_proj.weight",
)


KV_LAYOUTS = ("concat", "shared_buffer")
"""How ``decoder.onnx`` keeps the KV cache (manifest ``decoder.kv_layout``): ``concat`` returns
``past ++ new`` as a new tensor at every call; ``shared_buffer`` writes the new positions into a
preallocated buffer that is both the past input and the present output (ONNX Runtime's
``com.microsoft.GroupQueryAttention``), so no call copies the cache."""


class ConfigError(ValueError):
    """config.json describes something this exporter cannot build (message says what)."""


def _get(cfg: Mapping, key: str, default=None, required: bool = False):
    if key in cfg and cfg[key] is not None:
        return cfg[key]
    if required:
        raise ConfigError(f"config.json has no '{key}'")
    return default


@dataclasses.dataclass
class DecoderConfig:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int = 4096
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    qk_norm_groups: int = 1  # model_parallel_size: rows of the q/k-norm parameters
    swin_norm: bool = False
    tie_word_embeddings: bool = False

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    def validate(self) -> "DecoderConfig":
        if self.hidden_size <= 0 or self.num_heads <= 0 or self.num_layers <= 0:
            raise ConfigError("hidden_size, num_attention_heads and num_hidden_layers must be > 0")
        if self.hidden_size % self.num_heads != 0:
            raise ConfigError(f"hidden_size {self.hidden_size} is not divisible by "
                              f"num_attention_heads {self.num_heads}")
        if self.head_dim % 2 != 0:
            raise ConfigError(f"head_dim {self.head_dim} must be even for rotary embeddings")
        if self.qk_norm_groups <= 0 or self.num_heads % self.qk_norm_groups != 0:
            raise ConfigError(f"num_attention_heads {self.num_heads} is not divisible by "
                              f"model_parallel_size {self.qk_norm_groups}")
        if self.intermediate_size <= 0 or self.vocab_size <= 0:
            raise ConfigError("intermediate_size and vocab_size must be > 0")
        return self

    @classmethod
    def from_hf(cls, cfg: Mapping) -> "DecoderConfig":
        """From a Hugging Face ``ChameleonConfig`` dict (``config.json``)."""
        heads = int(_get(cfg, "num_attention_heads", required=True))
        kv_heads = int(_get(cfg, "num_key_value_heads", heads))
        if kv_heads != heads:
            raise ConfigError(f"num_key_value_heads {kv_heads} != num_attention_heads {heads}: "
                              "grouped-query attention is not supported (Lumina-mGPT uses plain "
                              "multi-head attention)")
        act = _get(cfg, "hidden_act", "silu")
        if act != "silu":
            raise ConfigError(f"hidden_act '{act}' is not supported (only 'silu')")
        if _get(cfg, "attention_bias", False) or _get(cfg, "mlp_bias", False):
            raise ConfigError("attention_bias / mlp_bias true is not supported "
                              "(Lumina-mGPT has no biases)")
        if _get(cfg, "rope_scaling", None):
            raise ConfigError(f"rope_scaling {cfg['rope_scaling']!r} is not supported "
                              "(Lumina-mGPT uses plain RoPE)")
        mtype = _get(cfg, "model_type", "chameleon")
        if mtype != "chameleon":
            raise ConfigError(f"model_type '{mtype}' is not 'chameleon'")
        return cls(
            hidden_size=int(_get(cfg, "hidden_size", required=True)),
            num_layers=int(_get(cfg, "num_hidden_layers", required=True)),
            num_heads=heads,
            intermediate_size=int(_get(cfg, "intermediate_size", required=True)),
            vocab_size=int(_get(cfg, "vocab_size", required=True)),
            max_positions=int(_get(cfg, "max_position_embeddings", 4096)),
            rms_norm_eps=float(_get(cfg, "rms_norm_eps", 1e-5)),
            rope_theta=float(_get(cfg, "rope_theta", 10000.0)),
            qk_norm_groups=int(_get(cfg, "model_parallel_size", 1)),
            swin_norm=bool(_get(cfg, "swin_norm", False)),
            tie_word_embeddings=bool(_get(cfg, "tie_word_embeddings", False)),
        ).validate()

    def to_hf(self) -> dict:
        """A ``config.json`` dict with the fields a Lumina-mGPT checkpoint has."""
        return {
            "architectures": ["ChameleonForConditionalGeneration"],
            "attention_bias": False,
            "attention_dropout": 0.0,
            "bos_token_id": 1,
            "eos_token_id": 2,
            "hidden_act": "silu",
            "hidden_size": self.hidden_size,
            "initializer_range": 0.02,
            "intermediate_size": self.intermediate_size,
            "mask_image_logits": False,
            "max_position_embeddings": self.max_positions,
            "mlp_bias": False,
            "model_parallel_size": self.qk_norm_groups,
            "model_type": "chameleon",
            "num_attention_heads": self.num_heads,
            "num_hidden_layers": self.num_layers,
            "num_key_value_heads": self.num_heads,
            "rms_norm_eps": self.rms_norm_eps,
            "rope_scaling": None,
            "rope_theta": self.rope_theta,
            "swin_norm": self.swin_norm,
            "tie_word_embeddings": self.tie_word_embeddings,
            "torch_dtype": "bfloat16",
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


def layer_param_names(cfg: DecoderConfig) -> List[str]:
    """Parameter names of one layer, relative to ``model.layers.{i}.``."""
    return [
        "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
        "self_attn.o_proj.weight",
        "self_attn.q_norm.weight", "self_attn.q_norm.bias",
        "self_attn.k_norm.weight", "self_attn.k_norm.bias",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
        "input_layernorm.weight", "post_attention_layernorm.weight",
    ]


def is_linear_weight(hf_name: str) -> bool:
    return hf_name == "lm_head.weight" or any(hf_name.endswith(s) for s in LINEAR_SUFFIXES)


def hf_to_module_layout(hf_name: str, array: np.ndarray) -> np.ndarray:
    """Checkpoint layout → this module's (and the ONNX graph's) layout: linear weights are
    transposed to ``[in, out]``; everything else is unchanged. Returns a C-contiguous array."""
    if is_linear_weight(hf_name):
        if array.ndim != 2:
            raise ValueError(f"{hf_name}: expected a 2-D weight, got shape {array.shape}")
        return np.ascontiguousarray(array.T)
    return np.ascontiguousarray(array)


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------

class MatMulLinear(nn.Module):
    """A bias-free linear layer whose weight is stored ``[in, out]`` (``y = x @ W``), so that
    it exports as one ONNX ``MatMul`` reading the initializer directly."""

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(in_features, out_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.matmul(x, self.weight)


class RMSNorm(nn.Module):
    """Chameleon/Llama RMSNorm, computed in float32: ``w * (x / rms(x)).to(dtype)``."""

    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = float(eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dtype = x.dtype
        xf = x.to(torch.float32)
        variance = xf.pow(2).mean(-1, keepdim=True)
        xf = xf * torch.rsqrt(variance + self.eps)
        return self.weight * xf.to(dtype)


class QKNorm(nn.Module):
    """Lumina's ``ChameleonLayerNorm``: LayerNorm over head_dim without affine (eps 1e-5,
    hard-coded as in the reference), then ``* weight + bias`` where weight/bias
    ``[groups, head_dim]`` are repeat-interleaved over the heads (heads/groups each)."""

    EPS = 1e-5

    def __init__(self, groups: int, heads: int, head_dim: int):
        super().__init__()
        self.groups, self.heads, self.head_dim = groups, heads, head_dim
        self.weight = nn.Parameter(torch.ones(groups, head_dim))
        self.bias = nn.Parameter(torch.zeros(groups, head_dim))

    def _expand(self, p: torch.Tensor) -> torch.Tensor:
        # == p.repeat_interleave(heads // groups, dim=0), written so that it traces to
        # Unsqueeze/Expand/Reshape.
        per = self.heads // self.groups
        return p.unsqueeze(1).expand(self.groups, per, self.head_dim).reshape(
            self.heads, self.head_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: [..., heads, head_dim]. Explicit ones/zeros: F.layer_norm without weight exports
        # an invalid node with torch 1.13.
        ones = torch.ones(self.head_dim, dtype=x.dtype)
        zeros = torch.zeros(self.head_dim, dtype=x.dtype)
        x = F.layer_norm(x, (self.head_dim,), ones, zeros, self.EPS)
        return x * self._expand(self.weight) + self._expand(self.bias)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    x1 = x[..., :half]
    x2 = x[..., half:]
    return torch.cat((-x2, x1), dim=-1)


class GroupQueryAttention(torch.autograd.Function):
    """ONNX Runtime's ``com.microsoft.GroupQueryAttention`` (CPU kernel, no rotary, no local
    window) with the past and present cache in one buffer: exported as that node; ``forward``
    computes what the kernel computes, so that the traced shapes are right and the torch module
    can be checked against the concat layout.

    query/key/value ``[B,S,H*D]``; past_key/past_value ``[B,H,C,D]`` (C = the buffer's capacity);
    seqlens_k int32 ``[B]`` = each row's total length after this call minus 1;
    total_sequence_length int32 scalar = the longest row's total length. Row ``b`` writes its S
    new positions at ``seqlens_k[b] + 1 - S`` (at 0 when ``S == total_sequence_length``, the
    kernel's "first prompt"), and query ``s`` sees the row's keys up to its own position.
    Returns (out ``[B,S,H*D]``, present_key, present_value), the present tensors being the
    updated buffer."""

    @staticmethod
    def forward(ctx, query, key, value, past_key, past_value, seqlens_k, total_sequence_length,
                num_heads: int):
        bsz, seq, width = query.shape
        d = width // num_heads
        total = int(total_sequence_length)
        first_prompt = seq == total
        capacity = max(past_key.shape[2], total)
        present_key = torch.zeros(bsz, num_heads, capacity, d, dtype=past_key.dtype)
        present_value = torch.zeros_like(present_key)
        present_key[:, :, :past_key.shape[2]] = past_key
        present_value[:, :, :past_value.shape[2]] = past_value
        q, k, v = (t.reshape(bsz, seq, num_heads, d).transpose(1, 2) for t in (query, key, value))
        out = torch.zeros_like(q)
        for b in range(bsz):
            length = int(seqlens_k[b]) + 1
            start = 0 if first_prompt else length - seq
            present_key[b, :, start:start + seq] = k[b]
            present_value[b, :, start:start + seq] = v[b]
            keys, values = present_key[b, :, :length], present_value[b, :, :length]
            scores = torch.matmul(q[b], keys.transpose(1, 2)).to(torch.float32) / math.sqrt(d)
            visible = torch.arange(length).unsqueeze(0) <= (torch.arange(seq) + start).unsqueeze(1)
            scores = scores.masked_fill(~visible, torch.finfo(torch.float32).min)
            out[b] = torch.matmul(torch.softmax(scores, dim=-1).to(values.dtype), values)
        return out.transpose(1, 2).reshape(bsz, seq, width), present_key, present_value

    @staticmethod
    def symbolic(g, query, key, value, past_key, past_value, seqlens_k, total_sequence_length,
                 num_heads: int):
        return g.op("com.microsoft::GroupQueryAttention", query, key, value, past_key, past_value,
                    seqlens_k, total_sequence_length, num_heads_i=num_heads,
                    kv_num_heads_i=num_heads, outputs=3)


class Attention(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        h, d = cfg.hidden_size, cfg.head_dim
        self.num_heads, self.head_dim = cfg.num_heads, d
        self.q_proj = MatMulLinear(h, cfg.num_heads * d)
        self.k_proj = MatMulLinear(h, cfg.num_heads * d)
        self.v_proj = MatMulLinear(h, cfg.num_heads * d)
        self.o_proj = MatMulLinear(cfg.num_heads * d, h)
        self.q_norm = QKNorm(cfg.qk_norm_groups, cfg.num_heads, d)
        self.k_norm = QKNorm(cfg.qk_norm_groups, cfg.num_heads, d)

    def _qkv(self, x, cos, sin):
        """q, k (q/k-norm, then rotary) and v, each [B,H,S,D]."""
        bsz, q_len = x.shape[0], x.shape[1]
        q = self.q_proj(x).reshape(bsz, q_len, self.num_heads, self.head_dim)
        k = self.k_proj(x).reshape(bsz, q_len, self.num_heads, self.head_dim)
        v = self.v_proj(x).reshape(bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_norm(q).transpose(1, 2)
        k = self.k_norm(k).transpose(1, 2)
        v = v.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        return q, k, v

    def _merge_heads(self, t):
        """[B,H,S,D] -> [B,S,H*D]"""
        return t.transpose(1, 2).reshape(t.shape[0], t.shape[2], self.num_heads * self.head_dim)

    def forward(self, x, attn_bias, cos, sin, past_key, past_value):
        """x [B,S,hidden]; attn_bias float32 [B,1,S,P+S]; cos/sin [B,1,S,D] (x's dtype);
        past_key/value [B,H,P,D] → (out [B,S,hidden], key [B,H,P+S,D], value [B,H,P+S,D])."""
        q, k, v = self._qkv(x, cos, sin)
        key = torch.cat((past_key, k), dim=2)
        value = torch.cat((past_value, v), dim=2)
        scores = torch.matmul(q, key.transpose(2, 3)) / math.sqrt(self.head_dim)
        scores = scores.to(torch.float32) + attn_bias
        probs = torch.softmax(scores, dim=-1).to(value.dtype)
        out = torch.matmul(probs, value)  # [B,H,S,D]
        return self.o_proj(self._merge_heads(out)), key, value

    def forward_shared_buffer(self, x, cos, sin, past_key, past_value, seqlens_k,
                              total_sequence_length):
        """The ``shared_buffer`` layout: past_key/value [B,H,C,D] is the cache buffer, returned
        updated (see :class:`GroupQueryAttention` for seqlens_k and total_sequence_length).
        NB: q/k-norm and rotary stay outside the fused op (its rotary cannot take Chameleon's
        explicit position ids and the norm sits before it)."""
        q, k, v = self._qkv(x, cos, sin)
        out, key, value = GroupQueryAttention.apply(
            self._merge_heads(q), self._merge_heads(k), self._merge_heads(v), past_key,
            past_value, seqlens_k, total_sequence_length, self.num_heads)
        return self.o_proj(out), key, value


class MLP(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.gate_proj = MatMulLinear(cfg.hidden_size, cfg.intermediate_size)
        self.up_proj = MatMulLinear(cfg.hidden_size, cfg.intermediate_size)
        self.down_proj = MatMulLinear(cfg.intermediate_size, cfg.hidden_size)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    """One block; pre-norm (``swin_norm`` false) or Lumina's swin-norm variant."""

    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.swin_norm = cfg.swin_norm
        self.self_attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)

    def forward(self, hidden, attn_bias, cos, sin, past_key, past_value):
        return self._block(hidden, lambda x: self.self_attn(x, attn_bias, cos, sin, past_key,
                                                            past_value))

    def _block(self, hidden, attend):
        """The residual block around ``attend(x) -> (out, key, value)``."""
        if self.swin_norm:
            a, key, value = attend(hidden)
            hidden = hidden + self.input_layernorm(a)
            hidden = hidden + self.post_attention_layernorm(self.mlp(hidden))
        else:
            a, key, value = attend(self.input_layernorm(hidden))
            hidden = hidden + a
            hidden = hidden + self.mlp(self.post_attention_layernorm(hidden))
        return hidden, key, value


class SharedBufferDecoderLayer(DecoderLayer):
    """:class:`DecoderLayer` for the ``shared_buffer`` KV layout (same parameters): no attention
    bias (the fused attention is causal per row from ``seqlens_k``), the cache a buffer."""

    def forward(self, hidden, cos, sin, past_key, past_value, seqlens_k, total_sequence_length):
        return self._block(hidden, lambda x: self.self_attn.forward_shared_buffer(
            x, cos, sin, past_key, past_value, seqlens_k, total_sequence_length))


def causal_bias(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Additive float32 attention bias [B,1,S,T] (T = P + S): 0 where query i (absolute index
    P + i) may see key j (j <= P + i and attention_mask[b, j] != 0), else the float32 minimum
    (not -inf, so that a fully masked row gives a uniform softmax instead of NaN)."""
    seq = input_ids.shape[1]
    total = attention_mask.shape[1]
    q_idx = torch.arange(seq, dtype=torch.int64) + (total - seq)
    k_idx = torch.arange(total, dtype=torch.int64)
    causal = k_idx.unsqueeze(0) <= q_idx.unsqueeze(1)  # [S, T]
    allowed = causal.unsqueeze(0).unsqueeze(0) & (attention_mask != 0).unsqueeze(1).unsqueeze(1)
    zero = torch.zeros((), dtype=torch.float32)
    minimum = torch.full((), torch.finfo(torch.float32).min, dtype=torch.float32)
    return torch.where(allowed, zero, minimum)


def rope_inv_freq(head_dim: int, theta: float) -> torch.Tensor:
    return 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64)
                            .to(torch.float32) / head_dim))


def embed_and_rotary(embed_weight, input_ids, position_ids, head_dim: int, theta: float):
    """Embedding lookup and rotary cos/sin [B,1,S,D] (in the embedding's dtype; computed in
    float32 like the reference)."""
    hidden = F.embedding(input_ids, embed_weight)
    freqs = position_ids.to(torch.float32).unsqueeze(-1) * rope_inv_freq(head_dim, theta)
    emb = torch.cat((freqs, freqs), dim=-1)  # [B,S,D]
    cos = emb.cos().to(hidden.dtype).unsqueeze(1)
    sin = emb.sin().to(hidden.dtype).unsqueeze(1)
    return hidden, cos, sin


def prologue(embed_weight, input_ids, attention_mask, position_ids, head_dim: int, theta: float):
    """Embedding lookup, float32 attention bias [B,1,S,T] and rotary cos/sin [B,1,S,D] (in the
    embedding's dtype; computed in float32 like the reference)."""
    hidden, cos, sin = embed_and_rotary(embed_weight, input_ids, position_ids, head_dim, theta)
    return hidden, causal_bias(input_ids, attention_mask), cos, sin


def epilogue(norm: nn.Module, lm_head: nn.Module, hidden, num_logits_to_keep):
    """Keeps the last ``num_logits_to_keep`` positions (0 or less = all), final RMSNorm,
    lm_head, float32 logits [B,K,V]."""
    seq = torch._shape_as_tensor(hidden)[1]
    n = torch.as_tensor(num_logits_to_keep, dtype=torch.int64)
    keep = torch.where(n > 0, torch.minimum(n, seq), seq)
    idx = torch.arange(seq - keep, seq, dtype=torch.int64)
    hidden = torch.index_select(hidden, 1, idx)
    return lm_head(norm(hidden)).to(torch.float32)


class Prologue(nn.Module):
    """Traceable wrapper of :func:`prologue` (parameter ``embed_tokens.weight``)."""

    def __init__(self, cfg: DecoderConfig, vocab_size: Optional[int] = None):
        super().__init__()
        self.head_dim = cfg.head_dim
        self.rope_theta = cfg.rope_theta
        self.embed_tokens = nn.Embedding(vocab_size or cfg.vocab_size, cfg.hidden_size)

    def forward(self, input_ids, attention_mask, position_ids):
        return prologue(self.embed_tokens.weight, input_ids, attention_mask, position_ids,
                        self.head_dim, self.rope_theta)


class SharedBufferPrologue(Prologue):
    """The prologue of the ``shared_buffer`` layout: no attention mask, hence no bias."""

    def forward(self, input_ids, position_ids):
        return embed_and_rotary(self.embed_tokens.weight, input_ids, position_ids,
                                self.head_dim, self.rope_theta)


class Epilogue(nn.Module):
    """Traceable wrapper of :func:`epilogue` (parameters ``norm.weight``, ``lm_head.weight``)."""

    def __init__(self, cfg: DecoderConfig, vocab_size: Optional[int] = None):
        super().__init__()
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = MatMulLinear(cfg.hidden_size, vocab_size or cfg.vocab_size)

    def forward(self, hidden, num_logits_to_keep):
        return epilogue(self.norm, self.lm_head, hidden, num_logits_to_keep)


class _Model(nn.Module):
    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.num_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


KV = Tuple[torch.Tensor, torch.Tensor]


class ChameleonDecoder(nn.Module):
    """The whole decoder; state-dict names are the Hugging Face names (linear weights
    transposed, see the module docstring). ``forward`` has the ONNX contract's semantics."""

    def __init__(self, cfg: DecoderConfig):
        super().__init__()
        self.cfg = cfg
        self.model = _Model(cfg)
        self.lm_head = MatMulLinear(cfg.hidden_size, cfg.vocab_size)

    def empty_cache(self, batch: int = 1) -> List[KV]:
        dtype = self.model.embed_tokens.weight.dtype
        empty = torch.zeros(batch, self.cfg.num_heads, 0, self.cfg.head_dim, dtype=dtype)
        return [(empty, empty) for _ in range(self.cfg.num_layers)]

    def forward(self, input_ids, attention_mask, position_ids,
                past_key_values: Optional[Sequence[KV]] = None,
                num_logits_to_keep=0):
        """Same semantics as decoder.onnx: returns (logits float32 [B,K,V], presents)."""
        cfg = self.cfg
        if past_key_values is None:
            past_key_values = self.empty_cache(input_ids.shape[0])
        hidden, bias, cos, sin = prologue(self.model.embed_tokens.weight, input_ids,
                                          attention_mask, position_ids, cfg.head_dim,
                                          cfg.rope_theta)
        presents: List[KV] = []
        for layer, (pk, pv) in zip(self.model.layers, past_key_values):
            hidden, k, v = layer(hidden, bias, cos, sin, pk, pv)
            presents.append((k, v))
        return epilogue(self.model.norm, self.lm_head, hidden, num_logits_to_keep), presents

    def load_module_state(self, state: Mapping[str, np.ndarray | torch.Tensor]) -> None:
        """Loads weights given in module layout (e.g. ONNX initializers), checking names and
        shapes."""
        own = self.state_dict()
        missing = [k for k in own if k not in state]
        if missing:
            raise KeyError(f"missing decoder weights: {missing[:10]}")
        with torch.no_grad():
            for k, p in own.items():
                v = state[k]
                t = torch.from_numpy(np.asarray(v)) if not isinstance(v, torch.Tensor) else v
                if tuple(t.shape) != tuple(p.shape):
                    raise ValueError(f"{k}: shape {tuple(t.shape)} != expected {tuple(p.shape)}")
                p.copy_(t.to(p.dtype))
