"""Tests of lumina_export.tokenizer_gen (tokenizer.json generation and checking).

Loading and running the files with the Rust tokenizers library is checked by the Java suite
(DJL); here the JSON structure, the id layout and the BPE data are checked directly.
"""

import json
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lumina_export.tokenizer_gen import (  # noqa: E402
    bpe_decode,
    bpe_encode,
    bytes_to_unicode,
    image_token_name,
    make_tiny_tokenizer,
    prepare_tokenizer,
)

VOCAB = 9216
EXPECTED_TOKENS = {
    "bos": 0, "pad": 1, "separator": 8710, "image_start": 8197, "image_end": 8196,
    "end_of_line": 8803, "size_base": 8804, "image_placeholder": "<|image|>",
    "image_token_first": 4, "image_token_last": 8195, "codebook_size": 8192,
    "placeholder_id": VOCAB,
}
PLACEHOLDER_ENTRY = {"id": VOCAB, "content": "<|image|>", "single_word": False, "lstrip": False,
                     "rstrip": False, "normalized": True, "special": False}


def _decode_image_name(name):
    """Meta's bpe2img rule, written independently: strip IMGIMG and the last char, A-J → 0-9."""
    assert name.startswith("IMGIMG")
    return int("".join("0123456789"["ABCDEFGHIJ".index(c)] for c in name[6:-1]))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    tokens = make_tiny_tokenizer(VOCAB, path)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return path, tokens, doc


def _write(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return path


def _without_placeholder(doc):
    doc = json.loads(json.dumps(doc))
    doc["added_tokens"] = [t for t in doc["added_tokens"] if t["content"] != "<|image|>"]
    return doc


def _rename(doc, token_id, new_name):
    """Gives id ``token_id`` the name ``new_name`` in the vocabulary and added tokens."""
    vocab = doc["model"]["vocab"]
    old = next(k for k, v in vocab.items() if v == token_id)
    del vocab[old]
    vocab[new_name] = token_id
    for t in doc["added_tokens"]:
        if t["id"] == token_id:
            t["content"] = new_name


def _swap(doc, a, b):
    vocab = doc["model"]["vocab"]
    name_a = next(k for k, v in vocab.items() if v == a)
    name_b = next(k for k, v in vocab.items() if v == b)
    vocab[name_a], vocab[name_b] = b, a
    for t in doc["added_tokens"]:
        if t["content"] == name_a:
            t["id"] = b
        elif t["content"] == name_b:
            t["id"] = a


def test_returned_tokens(tiny):
    _, tokens, _ = tiny
    assert tokens == EXPECTED_TOKENS


def test_special_ids_and_reserved_names(tiny):
    _, _, doc = tiny
    vocab = doc["model"]["vocab"]
    assert sorted(vocab.values()) == list(range(VOCAB))
    by_id = {v: k for k, v in vocab.items()}
    assert [by_id[i] for i in range(4)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert by_id[8196] == "<eoss>" and by_id[8197] == "<racm3:break>"
    assert by_id[8710] == "<reserved08706>" and by_id[8803] == "<reserved08799>"
    assert by_id[8804] == "<reserved08800>" and by_id[8828] == "<reserved08824>"
    for n in range(96):
        assert by_id[8804 + n] == f"<reserved{8800 + n:05d}>"
    for i in range(8198, 8900):
        assert by_id[i] == f"<reserved{i - 4:05d}>"
    assert "<|image|>" not in vocab


def test_all_image_names_decode_to_id_minus_4(tiny):
    _, _, doc = tiny
    vocab = doc["model"]["vocab"]
    image = {k: v for k, v in vocab.items() if k.startswith("IMGIMG")}
    assert len(image) == 8192
    assert sorted(image.values()) == list(range(4, 8196))
    for name, token_id in image.items():
        assert name.endswith("Z")
        assert _decode_image_name(name) == token_id - 4
    assert image_token_name(123) == "IMGIMGBCDZ" and vocab["IMGIMGBCDZ"] == 127
    assert vocab["IMGIMGAZ"] == 4 and vocab["IMGIMGIBJBZ"] == 8195


def test_added_tokens(tiny):
    _, _, doc = tiny
    added = doc["added_tokens"]
    ids = [t["id"] for t in added]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(range(4)) | {8196, 8197} | set(range(8198, 8900)) | {VOCAB}
    vocab = doc["model"]["vocab"]
    for t in added:
        if t["content"] == "<|image|>":
            assert t == PLACEHOLDER_ENTRY
            continue
        assert vocab[t["content"]] == t["id"]
        assert t["special"] is True and t["normalized"] is False
        assert t["lstrip"] is False and t["rstrip"] is False and t["single_word"] is False
    assert added[-1]["content"] == "<|image|>"


def test_pipeline_has_no_bos_post_processor(tiny):
    _, _, doc = tiny
    assert doc["post_processor"] is None
    assert doc["normalizer"] is None
    assert doc["pre_tokenizer"]["type"] == "ByteLevel"
    assert doc["pre_tokenizer"]["add_prefix_space"] is False
    assert doc["decoder"]["type"] == "ByteLevel"
    assert doc["model"]["type"] == "BPE"
    assert doc["model"]["unk_token"] is None and doc["model"]["byte_fallback"] is False


def test_bpe_vocabulary_is_consistent(tiny):
    _, _, doc = tiny
    vocab = doc["model"]["vocab"]
    table = bytes_to_unicode()
    assert [vocab[table[b]] for b in range(256)] == list(range(8900, 9156))
    merges = [m.split(" ") for m in doc["model"]["merges"]]
    assert len(merges) == VOCAB - 9156
    for a, b in merges:  # tokenizers refuses merges whose parts or result are unknown
        assert a in vocab and b in vocab and a + b in vocab
        assert vocab[a + b] >= 9156
    assert len({a + b for a, b in merges}) == len(merges)


@pytest.mark.parametrize("text", [
    "Generate an image of 512x512 according to the following prompt:\na red disc on the left",
    "Depth estimation.", "Detect: the ring", "  leading spaces\tand tabs\n\nnew lines  ",
    "héllo wörld, naïve café — 日本語のテキスト 🎉🧫", "", "x",
])
def test_byte_level_round_trip(tiny, text):
    _, _, doc = tiny
    vocab = doc["model"]["vocab"]
    merges = [tuple(m.split(" ")) for m in doc["model"]["merges"]]
    ids = bpe_encode(text, vocab, merges)
    assert all(8900 <= i < VOCAB for i in ids)
    assert bpe_decode(ids, {v: k for k, v in vocab.items()}) == text


def test_merges_shorten_prompts(tiny):
    _, _, doc = tiny
    vocab = doc["model"]["vocab"]
    merges = [tuple(m.split(" ")) for m in doc["model"]["merges"]]
    prompt = "Generate an image of 512x512 according to the following prompt:\n"
    assert len(bpe_encode(prompt, vocab, merges)) < 0.7 * len(prompt.encode("utf-8"))


def test_deterministic_output(tmp_path, tiny):
    path, _, _ = tiny
    again = tmp_path / "again.json"
    make_tiny_tokenizer(VOCAB, again)
    assert again.read_bytes() == path.read_bytes()


def test_other_vocab_sizes(tmp_path):
    tokens = make_tiny_tokenizer(9300, tmp_path / "t.json")
    assert tokens["placeholder_id"] == 9300
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert sorted(doc["model"]["vocab"].values()) == list(range(9300))
    with pytest.raises(ValueError, match="too small"):
        make_tiny_tokenizer(9000, tmp_path / "small.json")


def test_prepare_adds_placeholder(tmp_path, tiny):
    _, _, doc = tiny
    src = _write(_without_placeholder(doc), tmp_path / "src.json")
    before = src.read_bytes()
    out = tmp_path / "out" / "tokenizer.json"
    tokens = prepare_tokenizer(src, out)
    assert tokens == EXPECTED_TOKENS
    assert src.read_bytes() == before
    written = json.loads(out.read_text(encoding="utf-8"))
    entries = [t for t in written["added_tokens"] if t["content"] == "<|image|>"]
    assert entries == [PLACEHOLDER_ENTRY]
    assert written["model"] == doc["model"]


def test_prepare_keeps_existing_placeholder(tmp_path, tiny):
    path, _, _ = tiny
    out = tmp_path / "tokenizer.json"
    assert prepare_tokenizer(path, out) == EXPECTED_TOKENS
    written = json.loads(out.read_text(encoding="utf-8"))
    assert sum(t["content"] == "<|image|>" for t in written["added_tokens"]) == 1


@pytest.mark.parametrize("a, b, named", [
    (8197, 8196, "<racm3:break>"),
    (8710, 8711, "<reserved08706>"),
    (8803, 8802, "<reserved08799>"),
    (8828, 8829, "<reserved08824>"),
])
def test_prepare_rejects_wrong_special_ids(tmp_path, tiny, a, b, named):
    doc = _without_placeholder(tiny[2])
    _swap(doc, a, b)
    src = _write(doc, tmp_path / "src.json")
    with pytest.raises(ValueError, match=named.replace("|", r"\|")):
        prepare_tokenizer(src, tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_prepare_rejects_missing_special(tmp_path, tiny):
    doc = _without_placeholder(tiny[2])
    _rename(doc, 8196, "<not-eoss>")
    with pytest.raises(ValueError, match="<eoss>.*missing"):
        prepare_tokenizer(_write(doc, tmp_path / "src.json"), tmp_path / "out.json")


def test_prepare_rejects_duplicate_image_code(tmp_path, tiny):
    doc = _without_placeholder(tiny[2])
    _rename(doc, 104, "IMGIMGBY")  # id 104 (code 100) now also names code 1
    with pytest.raises(ValueError, match="code 1 appears twice"):
        prepare_tokenizer(_write(doc, tmp_path / "src.json"), tmp_path / "out.json")


def test_prepare_rejects_non_contiguous_image_ids(tmp_path, tiny):
    doc = _without_placeholder(tiny[2])
    _swap(doc, 8195, 8890)  # last image token moves into the reserved range
    with pytest.raises(ValueError, match="contiguous"):
        prepare_tokenizer(_write(doc, tmp_path / "src.json"), tmp_path / "out.json")


def test_prepare_rejects_codebook_size_mismatch(tmp_path, tiny):
    src = _write(_without_placeholder(tiny[2]), tmp_path / "src.json")
    with pytest.raises(ValueError, match="4096"):
        prepare_tokenizer(src, tmp_path / "out.json", codebook_size=4096)
    assert prepare_tokenizer(src, tmp_path / "out.json", codebook_size=8192)["codebook_size"] == 8192


def test_prepare_reads_bos_from_the_tokenizer(tmp_path, tiny):
    doc = _without_placeholder(tiny[2])
    _swap(doc, 0, 2)  # <s> at 2, </s> at 0
    src = _write(doc, tmp_path / "tokenizer.json")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tokens = prepare_tokenizer(src, tmp_path / "out" / "tokenizer.json")
    assert tokens["bos"] == 2
    assert any("BOS" in str(w.message) for w in caught)
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({"bos_token": "</s>"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert prepare_tokenizer(src, tmp_path / "out2.json")["bos"] == 0


def test_prepare_rejects_ambiguous_placeholder_id(tmp_path, tiny):
    doc = _without_placeholder(tiny[2])
    doc["added_tokens"].append({"id": VOCAB + 5, "content": "<extra>", "single_word": False,
                                "lstrip": False, "rstrip": False, "normalized": False,
                                "special": True})
    with pytest.raises(ValueError, match="not contiguous"):
        prepare_tokenizer(_write(doc, tmp_path / "src.json"), tmp_path / "out.json")


def test_prepare_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.json"):
        prepare_tokenizer(tmp_path / "nothing.json", tmp_path / "out.json")
