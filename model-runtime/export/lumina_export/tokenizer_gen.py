"""Hugging Face ``tokenizer.json`` files for model bundles.

* :func:`make_tiny_tokenizer` writes a tokenizer with Chameleon's REAL special-token layout
  (spec §1) and a small byte-level BPE for text, for random-weight test bundles.
* :func:`prepare_tokenizer` copies a real checkpoint's tokenizer, adds the ``<|image|>``
  placeholder the way Lumina's ``tokenizer.add_tokens(["<|image|>"])`` does, and verifies the
  special ids and the ``IMGIMG`` code ↔ id table.

Both return the manifest's ``"tokens"`` dict (docs/bundle-format.md) plus ``"placeholder_id"``.

Layout (ids): 0..3 ``<s> <pad> </s> <unk>``; 4..8195 ``IMGIMG<code in letters A-J>Z`` with
code = id − 4; 8196 ``<eoss>``; 8197 ``<racm3:break>``; 8198..8899 ``<reservedNNNNN>`` with
NNNNN = id − 4; 8900.. text BPE; ``<|image|>`` right after the last id.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

__all__ = [
    "IMAGE_PLACEHOLDER",
    "CODEBOOK_SIZE",
    "TEXT_BASE_ID",
    "make_tiny_tokenizer",
    "prepare_tokenizer",
    "image_token_name",
    "image_token_code",
    "reserved_name",
    "placeholder_added_token",
    "bytes_to_unicode",
    "byte_level_pretokenize",
    "bpe_encode",
    "bpe_decode",
]

IMAGE_PLACEHOLDER = "<|image|>"
CODEBOOK_SIZE = 8192
IMAGE_TOKEN_FIRST = 4
IMAGE_TOKEN_LAST = IMAGE_TOKEN_FIRST + CODEBOOK_SIZE - 1  # 8195
IMAGE_END_ID = 8196  # <eoss>
IMAGE_START_ID = 8197  # <racm3:break>
RESERVED_FIRST_ID = 8198
TEXT_BASE_ID = 8900  # first id of the tiny tokenizer's text BPE
SEPARATOR_ID = 8710  # <reserved08706>
END_OF_LINE_ID = 8803  # <reserved08799>
SIZE_BASE_ID = 8804  # <reserved08800> = 0 grid units
MAX_SIZE_UNITS_CHECKED = 64  # 2048 px / 32: the largest side of the 1024-target list

_SPECIAL_LOW = ["<s>", "<pad>", "</s>", "<unk>"]

# Lumina's `tokenizer.add_tokens(["<|image|>"])` on a fast tokenizer: transformers'
# PreTrainedTokenizerFast._add_tokens forwards the plain string to tokenizers'
# Tokenizer.add_tokens, whose binding builds PyAddedToken::from(content, Some(false)) and
# then tk::AddedToken::from(content, special=false): normalized = !special = true, and
# single_word/lstrip/rstrip keep their false defaults.
_PLACEHOLDER_FLAGS = {"single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": True, "special": False}

# Text for learning the tiny BPE: task prompts of spec §4.2 and the words test prompts use.
_CORPUS = [
    "Generate an image of 512x512 according to the following prompt:\n",
    "Generate an image of 768x768 according to the following prompt:\n",
    "Generate an image of 1024x1024 according to the following prompt:\n",
    "Generate an image according to the provided image, and according to the following "
    "caption:\n",
    "Depth estimation.", "Surface normal estimation.", "Segmentic segmentation.",
    "Human pose estimation.", "Detect: ", "Describe the image in detail.",
    "What is in the image? The image shows a red disc on the left and a blue square on the "
    "right.",
    "red green blue yellow orange purple black white gray pink brown cyan magenta",
    "disc square triangle ring circle", "left right top bottom center middle",
    "a red disc at the top left, a green square at the bottom right, a blue triangle in the "
    "center and a yellow ring on the left",
    "There is a small white ring near the top and a large black square near the bottom.",
    "The cells in the image are stained in green and the nuclei in blue.",
    "microscopy image of cells, nuclei, membrane, fluorescence, tissue, sample",
]


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

def image_token_name(code: int) -> str:
    """Codebook index → Chameleon vocabulary name: 123 → ``IMGIMGBCDZ``."""
    if code < 0:
        raise ValueError(f"negative code {code}")
    return "IMGIMG" + "".join(chr(ord("A") + int(d)) for d in str(int(code))) + "Z"


def image_token_code(name: str) -> Optional[int]:
    """Inverse of :func:`image_token_name` by Meta's rule (strip ``IMGIMG`` and the last
    character, letters A..J → digits 0..9); None when ``name`` is not an image token."""
    if not name.startswith("IMGIMG") or len(name) < 8:
        return None
    letters = name[len("IMGIMG"):-1]
    if not letters or any(not ("A" <= c <= "J") for c in letters):
        return None
    return int("".join(str(ord(c) - ord("A")) for c in letters))


def reserved_name(token_id: int) -> str:
    """``<reservedNNNNN>`` with NNNNN = id − 4 (8710 → ``<reserved08706>``)."""
    return f"<reserved{token_id - 4:05d}>"


def _added_token(token_id: int, content: str, special: bool = True) -> dict:
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": not special, "special": special}


def placeholder_added_token(token_id: int) -> dict:
    """The ``added_tokens`` entry for ``<|image|>`` as ``add_tokens`` creates it."""
    entry = {"id": int(token_id), "content": IMAGE_PLACEHOLDER}
    entry.update(_PLACEHOLDER_FLAGS)
    return entry


# ---------------------------------------------------------------------------------------------
# Byte-level BPE (GPT-2 style), enough to learn merges and to check round trips in tests
# ---------------------------------------------------------------------------------------------

def bytes_to_unicode() -> Dict[int, str]:
    """GPT-2's byte → printable character table, as used by tokenizers' ByteLevel."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


# GPT-2's split pattern with \p{L} / \p{N} written for Python's re (letters: \w minus digits
# and underscore; numbers: \d). Exact for ASCII text, which is all the corpus holds.
_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def byte_level_pretokenize(text: str) -> List[str]:
    """Splits ``text`` like ByteLevel(add_prefix_space=False, use_regex=True) and maps each
    piece's UTF-8 bytes to their printable characters."""
    table = bytes_to_unicode()
    return ["".join(table[b] for b in piece.encode("utf-8")) for piece in _SPLIT.findall(text)]


def _learn_merges(corpus: Sequence[str], count: int, forbidden: Iterable[str]) -> List[Tuple[str, str]]:
    """Deterministic BPE: repeatedly merge the most frequent adjacent pair (ties: the
    lexicographically smallest pair), never creating a string in ``forbidden``."""
    forbidden = set(forbidden)
    words: Counter = Counter()
    for text in corpus:
        for piece in byte_level_pretokenize(text):
            words[tuple(piece)] += 1
    merges: List[Tuple[str, str]] = []
    made = set()
    while len(merges) < count:
        pairs: Counter = Counter()
        for word, freq in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += freq
        candidates = [(-n, p) for p, n in pairs.items()
                      if p[0] + p[1] not in forbidden and p[0] + p[1] not in made]
        if not candidates:
            break
        _, best = min(candidates)
        merges.append(best)
        made.add(best[0] + best[1])
        merged: Counter = Counter()
        for word, freq in words.items():
            out: List[str] = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += freq
        words = merged
    return merges


def bpe_encode(text: str, vocab: Mapping[str, int], merges: Sequence[Tuple[str, str]]) -> List[int]:
    """Reference byte-level BPE encoding (no added tokens), for tests."""
    ranks = {pair: i for i, pair in enumerate(merges)}
    ids: List[int] = []
    for piece in byte_level_pretokenize(text):
        word = list(piece)
        while len(word) > 1:
            ranked = [(ranks.get((a, b), len(ranks)), i) for i, (a, b) in
                      enumerate(zip(word, word[1:]))]
            rank, i = min(ranked)
            if rank == len(ranks):
                break
            word[i:i + 2] = [word[i] + word[i + 1]]
        ids.extend(vocab[s] for s in word)
    return ids


def bpe_decode(ids: Sequence[int], id_to_token: Mapping[int, str]) -> str:
    """Reference ByteLevel decoding, for tests."""
    inverse = {c: b for b, c in bytes_to_unicode().items()}
    data = bytearray()
    for i in ids:
        for ch in id_to_token[i]:
            if ch in inverse:
                data.append(inverse[ch])
            else:
                data.extend(ch.encode("utf-8"))
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# Tiny tokenizer
# ---------------------------------------------------------------------------------------------

def _manifest_tokens(bos: int, pad: int, placeholder_id: int, first: int, last: int) -> dict:
    return {
        "bos": bos,
        "pad": pad,
        "separator": SEPARATOR_ID,
        "image_start": IMAGE_START_ID,
        "image_end": IMAGE_END_ID,
        "end_of_line": END_OF_LINE_ID,
        "size_base": SIZE_BASE_ID,
        "image_placeholder": IMAGE_PLACEHOLDER,
        "image_token_first": first,
        "image_token_last": last,
        "codebook_size": last - first + 1,
        "placeholder_id": placeholder_id,
    }


def _write_json(doc: dict, out_path: Path) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))


def make_tiny_tokenizer(vocab_size: int, out_path, codebook_size: int = CODEBOOK_SIZE,
                        extra_corpus: Sequence[str] = ()) -> dict:
    """Writes a ``tokenizer.json`` with the real special layout and a byte-level BPE for text
    at ids 8900..vocab_size−1, plus ``<|image|>`` at id ``vocab_size``.

    ``codebook_size`` (default 8192, the real one) smaller than 8192 gives ``IMGIMG`` names to
    codes 0..codebook_size−1 only (ids 4..3+codebook_size); the ids up to 8195 keep their places
    as unused, unreachable ``<|imgunusedN|>`` entries, so every special id stays where the spec
    puts it. ``extra_corpus`` adds text for learning the BPE merges (e.g. a training set's
    captions)."""
    vocab_size = int(vocab_size)
    codebook_size = int(codebook_size)
    if not 1 <= codebook_size <= CODEBOOK_SIZE:
        raise ValueError(f"codebook_size {codebook_size} must be in 1..{CODEBOOK_SIZE}")
    table = bytes_to_unicode()
    if vocab_size < TEXT_BASE_ID + len(table):
        raise ValueError(f"vocab_size {vocab_size} is too small: the special layout takes ids "
                         f"0..{TEXT_BASE_ID - 1} and the byte alphabet 256 more "
                         f"(at least {TEXT_BASE_ID + len(table)})")

    names: List[str] = list(_SPECIAL_LOW)
    names += [image_token_name(code) for code in range(codebook_size)]
    names += [f"<|imgunused{code}|>" for code in range(codebook_size, CODEBOOK_SIZE)]
    names += ["<eoss>", "<racm3:break>"]
    names += [reserved_name(i) for i in range(RESERVED_FIRST_ID, TEXT_BASE_ID)]
    assert len(names) == TEXT_BASE_ID
    byte_symbols = [table[b] for b in range(256)]
    names += byte_symbols
    merges = _learn_merges(list(_CORPUS) + list(extra_corpus), vocab_size - len(names),
                           forbidden=names)
    names += [a + b for a, b in merges]
    filler = 0
    while len(names) < vocab_size:  # the corpus ran out of pairs: unreachable fillers
        names.append(f"<|unused{filler}|>")
        filler += 1
    vocab = {name: i for i, name in enumerate(names)}
    if len(vocab) != vocab_size:
        raise AssertionError("duplicate names in the tiny vocabulary")

    added = [_added_token(i, names[i]) for i in range(len(_SPECIAL_LOW))]
    added += [_added_token(IMAGE_END_ID, "<eoss>"), _added_token(IMAGE_START_ID, "<racm3:break>")]
    added += [_added_token(i, names[i]) for i in range(RESERVED_FIRST_ID, TEXT_BASE_ID)]
    added.append(placeholder_added_token(vocab_size))

    doc = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                    "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }
    _write_json(doc, Path(out_path))
    return _manifest_tokens(0, 1, vocab_size, IMAGE_TOKEN_FIRST,
                            IMAGE_TOKEN_FIRST + codebook_size - 1)


# ---------------------------------------------------------------------------------------------
# Real tokenizer
# ---------------------------------------------------------------------------------------------

def _name_to_id(doc: dict, source: str) -> Dict[str, int]:
    """Token name → id over the model vocabulary and the added tokens (they must agree)."""
    model = doc.get("model") or {}
    vocab = model.get("vocab")
    if isinstance(vocab, list):  # Unigram: [[piece, score], ...]
        vocab = {entry[0]: i for i, entry in enumerate(vocab)}
    if not isinstance(vocab, dict):
        raise ValueError(f"{source}: no model.vocab mapping in tokenizer.json")
    names = {str(k): int(v) for k, v in vocab.items()}
    for tok in doc.get("added_tokens") or []:
        content, tid = tok.get("content"), tok.get("id")
        if content is None or tid is None:
            raise ValueError(f"{source}: malformed added token {tok}")
        if content in names and names[content] != int(tid):
            raise ValueError(f"{source}: {content!r} has id {names[content]} in the vocabulary "
                             f"but {tid} in added_tokens")
        names[content] = int(tid)
    return names


def _bos_string(src: Path) -> str:
    """BOS string from a tokenizer_config.json beside the file, else ``<s>``."""
    cfg = src.parent / "tokenizer_config.json"
    if cfg.is_file():
        try:
            with open(cfg, "r", encoding="utf-8") as f:
                bos = json.load(f).get("bos_token")
            if isinstance(bos, dict):
                bos = bos.get("content")
            if isinstance(bos, str) and bos:
                return bos
        except (OSError, ValueError):
            pass
    return "<s>"


def _image_table(names: Mapping[str, int], source: str) -> Tuple[int, int]:
    """Checks that IMGIMG names map codes 0..n−1 one to one onto a contiguous id range."""
    code_to_id: Dict[int, int] = {}
    for name, tid in names.items():
        if not name.startswith("IMGIMG"):
            continue
        code = image_token_code(name)
        if code is None:
            raise ValueError(f"{source}: image token name {name!r} (id {tid}) does not follow "
                             "the IMGIMG<letters A-J><suffix> rule")
        if code in code_to_id:
            raise ValueError(f"{source}: code {code} appears twice among the IMGIMG tokens "
                             f"(ids {code_to_id[code]} and {tid})")
        code_to_id[code] = tid
    if not code_to_id:
        raise ValueError(f"{source}: no IMGIMG image tokens in the vocabulary")
    n = len(code_to_id)
    missing = sorted(set(range(n)) - set(code_to_id))
    if missing:
        raise ValueError(f"{source}: IMGIMG codes are not 0..{n - 1}: missing {missing[:10]}")
    ids = sorted(code_to_id.values())
    first, last = ids[0], ids[-1]
    if len(set(ids)) != n or last - first + 1 != n:
        raise ValueError(f"{source}: the {n} IMGIMG tokens do not fill one contiguous id range "
                         f"(ids {first}..{last})")
    if first != IMAGE_TOKEN_FIRST or last != IMAGE_TOKEN_LAST:
        warnings.warn(f"{source}: image tokens occupy ids {first}..{last}, not the spec's "
                      f"{IMAGE_TOKEN_FIRST}..{IMAGE_TOKEN_LAST}")
    if any(code_to_id[c] != first + c for c in range(n)):
        warnings.warn(f"{source}: image token ids are not code + {first}; the engine must use "
                      "the IMGIMG name table")
    return first, last


def _rust_assigned_id(names: Mapping[str, int], model_vocab: Mapping[str, int]) -> int:
    """The id tokenizers gives a NEW added token on load, where that is unambiguous.

    tokenizers ignores the ids written in ``added_tokens`` for tokens outside the model
    vocabulary and numbers them from the model's vocabulary size on, so the ids only survive a
    load when the model vocabulary is 0..n−1 and the other added tokens follow it contiguously.
    """
    n = len(model_vocab)
    if sorted(int(v) for v in model_vocab.values()) != list(range(n)):
        raise ValueError("model.vocab ids are not 0..n-1: the id tokenizers would give "
                         f"{IMAGE_PLACEHOLDER!r} is ambiguous")
    beyond = sorted(set(i for i in names.values() if i >= n))
    if beyond != list(range(n, n + len(beyond))):
        raise ValueError(f"added tokens above the model vocabulary are not contiguous from {n}: "
                         f"the id tokenizers would give {IMAGE_PLACEHOLDER!r} is ambiguous")
    return n + len(beyond)


def prepare_tokenizer(src_path, out_path, codebook_size: Optional[int] = None) -> dict:
    """Copies a real tokenizer.json to ``out_path``, adding ``<|image|>`` (id = largest id + 1)
    unless present, after checking Chameleon's special ids (spec §1.1) and the IMGIMG table.

    ``codebook_size``, when given, must equal the number of IMGIMG tokens.
    Raises ValueError naming the first mismatch.
    """
    src = Path(src_path)
    if not src.is_file():
        raise FileNotFoundError(f"tokenizer file not found: {src}")
    with open(src, "r", encoding="utf-8") as f:
        doc = json.load(f)
    source = str(src)
    names = _name_to_id(doc, source)

    expected = {
        "<racm3:break>": IMAGE_START_ID,
        "<eoss>": IMAGE_END_ID,
        "<reserved08706>": SEPARATOR_ID,
        "<reserved08799>": END_OF_LINE_ID,
    }
    for n in range(MAX_SIZE_UNITS_CHECKED + 1):
        expected[f"<reserved{8800 + n:05d}>"] = SIZE_BASE_ID + n
    for name, want in expected.items():
        got = names.get(name)
        if got is None:
            raise ValueError(f"{source}: special token {name!r} is missing (spec id {want})")
        if got != want:
            raise ValueError(f"{source}: special token {name!r} has id {got}, spec says {want}")

    bos_name = _bos_string(src)
    if bos_name not in names:
        raise ValueError(f"{source}: BOS token {bos_name!r} is missing")
    bos = names[bos_name]
    if bos != 0:
        warnings.warn(f"{source}: BOS {bos_name!r} has id {bos} (spec: 0, third-party); "
                      "using the tokenizer's value")
    if "<pad>" not in names:
        raise ValueError(f"{source}: pad token '<pad>' is missing")
    pad = names["<pad>"]
    if pad != 1:
        warnings.warn(f"{source}: '<pad>' has id {pad} (spec: 1); using the tokenizer's value")

    first, last = _image_table(names, source)
    if codebook_size is not None and last - first + 1 != int(codebook_size):
        raise ValueError(f"{source}: {last - first + 1} IMGIMG tokens but the VQGAN codebook has "
                         f"{codebook_size} entries")

    added = doc.setdefault("added_tokens", [])
    if IMAGE_PLACEHOLDER in names:
        placeholder_id = names[IMAGE_PLACEHOLDER]
        entry = next((t for t in added if t.get("content") == IMAGE_PLACEHOLDER), None)
        if entry is None:
            raise ValueError(f"{source}: {IMAGE_PLACEHOLDER!r} is a plain vocabulary entry "
                             f"(id {placeholder_id}), not an added token: it would be split")
    else:
        placeholder_id = max(names.values()) + 1
        model_vocab = (doc.get("model") or {}).get("vocab")
        if not isinstance(model_vocab, dict):
            raise ValueError(f"{source}: model.vocab is not a mapping; cannot place "
                             f"{IMAGE_PLACEHOLDER!r}")
        rust_id = _rust_assigned_id(names, model_vocab)
        if rust_id != placeholder_id:
            raise ValueError(
                f"{source}: largest id {placeholder_id - 1} but a model vocabulary of "
                f"{len(model_vocab)}: tokenizers would give {IMAGE_PLACEHOLDER!r} id {rust_id}, "
                f"not {placeholder_id}")
        added.append(placeholder_added_token(placeholder_id))

    if doc.get("post_processor") is not None:
        warnings.warn(f"{source}: the tokenizer has a post-processor; encode prompts with "
                      "add_special_tokens=False (the engine adds BOS itself)")

    out = Path(out_path)
    if out.resolve() == src.resolve():
        raise ValueError("prepare_tokenizer: out_path must differ from src_path")
    _write_json(doc, out)
    return _manifest_tokens(bos, pad, placeholder_id, first, last)
