"""bundle.share_files: the bundles of one model folder keep their common VQ and tokenizer once."""

import json
from pathlib import Path

from lumina_export import bundle

NAMES = {"vq_encoder": "vq_encoder.onnx", "vq_decoder": "vq_decoder.onnx",
         "tokenizer": "tokenizer.json"}


def _bundle(folder: Path, name: str, vq: str) -> Path:
    b = folder / name
    b.mkdir(parents=True)
    files = {}
    for key, file in NAMES.items():
        content = f"{key} {vq}" if key.startswith("vq") else "tokenizer"
        (b / file).write_text(content)
        files[key] = {"path": file, "sha256": bundle.sha256_file(b / file), "external_data": []}
    (b / "decoder.onnx").write_text(f"decoder of {name}")
    files["decoder"] = {"path": "decoder.onnx", "sha256": bundle.sha256_file(b / "decoder.onnx"),
                        "external_data": []}
    bundle.write_manifest(b, {"format": bundle.FORMAT, "format_version": bundle.FORMAT_VERSION,
                              "files": files})
    return b


def _paths(b: Path) -> dict:
    return {k: e["path"] for k, e in bundle.read_manifest(b)["files"].items()}


def _resolves(b: Path) -> None:
    """Every file a manifest names exists with its checksum."""
    for e in bundle.read_manifest(b)["files"].values():
        assert bundle.sha256_file((b / e["path"]).resolve()) == e["sha256"], (b, e)


def test_common_files_move_to_the_shared_folder_and_a_different_vq_stays(tmp_path):
    a, c = _bundle(tmp_path, "a", "one"), _bundle(tmp_path, "c", "one")
    other = _bundle(tmp_path, "b", "two")
    assert bundle.share_files(tmp_path) == ["tokenizer.json", "vq_decoder.onnx", "vq_encoder.onnx"]
    for b in (a, c):
        assert _paths(b) == {"vq_encoder": "../shared/vq_encoder.onnx",
                             "vq_decoder": "../shared/vq_decoder.onnx",
                             "tokenizer": "../shared/tokenizer.json", "decoder": "decoder.onnx"}
        assert not (b / "vq_encoder.onnx").exists()
    assert _paths(other)["vq_encoder"] == "vq_encoder.onnx"  # another VQ: its own copy
    assert _paths(other)["tokenizer"] == "../shared/tokenizer.json"
    for b in (a, c, other):
        _resolves(b)


def test_a_new_vq_exported_into_most_bundles_replaces_the_shared_one(tmp_path):
    a, b = _bundle(tmp_path, "a", "old"), _bundle(tmp_path, "b", "old")
    bundle.share_files(tmp_path)
    for name in ("b", "c"):  # b re-exported with a new VQ, c a new bundle with it
        if (tmp_path / name).exists():
            for f in (tmp_path / name).iterdir():
                f.unlink()
            (tmp_path / name).rmdir()
        _bundle(tmp_path, name, "new")
    bundle.share_files(tmp_path)
    assert (tmp_path / "shared" / "vq_encoder.onnx").read_text() == "vq_encoder new"
    assert _paths(a)["vq_encoder"] == "vq_encoder.onnx"  # a keeps the old VQ, now its own copy
    assert (a / "vq_encoder.onnx").read_text() == "vq_encoder old"
    for name in "abc":
        _resolves(tmp_path / name)
    assert json.loads((tmp_path / "c" / bundle.MANIFEST_NAME).read_text())["files"]["vq_decoder"][
        "path"] == "../shared/vq_decoder.onnx"
