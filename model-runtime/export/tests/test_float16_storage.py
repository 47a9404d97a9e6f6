"""``--weights float16_stored``: a float32 graph whose large weights are float16 initializers
cast back to float32. Checked on the tiny bundle's weights (seed 1, the committed tiny-random):
the graph's layout, the halved files, the weights it computes with (the float32 ones rounded to
float16, exactly) and its logits against the float32 graph."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest
from onnx import TensorProto

import exporter_fixtures as fx
from lumina_export import bundle, float16_storage

from test_int4 import TINY_BUNDLE, _all_position_logits


@pytest.fixture(scope="module")
def stored_bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("f16") / "tiny-float16-stored"
    proc = fx.run_export("--tiny", "--seed", "1", "--weights", "float16_stored",
                         "--no-references", "--quiet", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _graph(path):
    return onnx.load(str(path), load_external_data=False).graph


def test_layout_and_manifest(stored_bundle):
    m = bundle.read_manifest(stored_bundle)
    assert (m["decoder"]["weights"], m["decoder"]["dtype"]) == ("float16_stored", "float32")
    for name in ("decoder.onnx", "vq_encoder.onnx", "vq_decoder.onnx"):
        path = stored_bundle / name
        onnx.checker.check_model(str(path))
        graph = _graph(path)
        stored = [t.name for t in graph.initializer if t.name.endswith(float16_storage.SUFFIX)]
        assert stored, name
        assert all(t.data_type == TensorProto.FLOAT16 for t in graph.initializer
                   if t.name in stored)
        # no float32 initializer large enough to be worth storing is left
        assert not [t.name for t in graph.initializer if t.data_type == TensorProto.FLOAT
                    and int(np.prod(t.dims)) >= float16_storage.MIN_ELEMENTS], name
        casts = graph.node[:len(stored)]
        assert [n.op_type for n in casts] == ["Cast"] * len(stored), name
        assert sorted(n.input[0] for n in casts) == sorted(stored)
        assert {i.name for i in graph.input} == {i.name for i in _graph(TINY_BUNDLE / name).input}
    for data in ("decoder.onnx.data", "vq_decoder.onnx"):
        full = (TINY_BUNDLE / data).stat().st_size
        assert (stored_bundle / data).stat().st_size < 0.6 * full, data


def test_the_graph_computes_with_the_float32_weights_rounded(stored_bundle):
    full = bundle.load_decoder_state(TINY_BUNDLE / "decoder.onnx")
    stored = bundle.load_decoder_state(stored_bundle / "decoder.onnx")
    assert stored.keys() == full.keys()
    for name, weight in full.items():
        assert stored[name].dtype == np.float32, name
        np.testing.assert_array_equal(stored[name], weight.astype(np.float16).astype(np.float32),
                                      err_msg=name)


def test_logits_against_the_float32_graph(stored_bundle):
    case = json.loads((TINY_BUNDLE / "references" / "references.json").read_text())["decoder"][0]
    ids = case["input_ids"] + case["steps"]
    full = _all_position_logits(TINY_BUNDLE, ids)
    stored = _all_position_logits(stored_bundle, ids)
    spread = full.max(axis=1) - full.min(axis=1)
    relative = np.abs(stored - full).max(axis=1) / spread
    print(f"\nfloat16-stored vs float32, {len(ids)} positions: relative max error "
          f"{relative.max():.5f}")
    assert 0 < relative.max() < 0.01
    assert (stored.argmax(axis=1) == full.argmax(axis=1)).mean() >= 0.95


def test_only_for_float32_graphs(tmp_path):
    proc = fx.run_export("--tiny", "--weights", "float16_stored", "--dtype", "fp16",
                         "--no-references", "--out", str(tmp_path / "x"))
    assert proc.returncode == 2 and "float16_stored" in proc.stderr, proc.stderr


def test_unfold_leaves_other_casts_alone():
    graph = onnx.helper.make_graph(
        [float16_storage.cast_node("w"),
         onnx.helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)], "g", [], [])
    state = {"w.float16": np.ones(3, np.float16), "x": np.zeros(2, np.float16)}
    out = float16_storage.unfold(state, graph)
    assert set(out) == {"w", "x"} and out["w"].dtype == np.float32
