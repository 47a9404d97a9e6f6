"""snapshot.py: what goes between a runs folder and checkpoints/, for the decoder of every task
family and for runs folders that borrow another's VQ and tokens through links."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import snapshot  # noqa: E402


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_family_decoders_share_the_vq_and_the_tokens(tmp_path):
    runs, snap = tmp_path / "runs", tmp_path / "checkpoints"
    _write(runs / "vq" / "last.pt", "vq")
    _write(runs / "decoder" / "last.npz", "image-to-image weights")
    _write(runs / "decoder" / "train_run2.log", "log")
    _write(runs / "decoder" / "opt.pt", "adam")
    _write(runs / "decoder" / "data" / "chunk_0000.npz", "tokens")
    snapshot.save(runs, "decoder_image_to_image", snap)
    assert (snap / "decoder_image_to_image" / "last.npz").read_text() == "image-to-image weights"
    assert (snap / "decoder_image_to_image" / "train_run2.log").exists()
    assert not (snap / "decoder_image_to_image" / "opt.pt").exists()  # no Adam states
    assert not (snap / "decoder_image_to_image" / "data").exists()  # one token set for all
    assert (snap / "decoder" / "data" / "chunk_0000.npz").read_text() == "tokens"
    assert (snap / "vq" / "last.pt").read_text() == "vq"

    # a second decoder's runs folder borrows the VQ and the tokens through links
    other = tmp_path / "runs_t2i"
    _write(other / "decoder" / "last.npz", "text-to-image weights")
    (other / "vq").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    _write(tmp_path / "elsewhere" / "last.pt", "an older vq")
    (other / "decoder" / "data").symlink_to(runs / "decoder" / "data")
    snapshot.save(other, "decoder", snap)
    assert (snap / "decoder" / "last.npz").read_text() == "text-to-image weights"
    assert (snap / "vq" / "last.pt").read_text() == "vq"  # the linked VQ is not saved

    fresh = tmp_path / "fresh"
    snapshot.restore(fresh, "decoder_image_to_image", snap)
    assert (fresh / "decoder" / "last.npz").read_text() == "image-to-image weights"
    assert (fresh / "decoder" / "data" / "chunk_0000.npz").read_text() == "tokens"
    assert (fresh / "vq" / "last.pt").read_text() == "vq"
