"""Fast checks of the synthetic scene renderers and the training token layout (< 30 s)."""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[0] / "export"))

import synthetic as syn  # noqa: E402


def test_crop_list_for_128_has_the_scene_sizes():
    sizes = syn.crop_size_list(128)
    for s in syn.SCENE_SIZES:
        assert s in sizes
    assert all(w * h <= 128 * 128 for w, h in sizes)


def test_deterministic():
    a, b = syn.render(syn.sample_scene(7)), syn.render(syn.sample_scene(7))
    for k in a:
        assert np.array_equal(a[k], b[k])
    assert syn.caption(syn.sample_scene(7)) == syn.caption(syn.sample_scene(7))


@pytest.mark.parametrize("seed", range(12))
def test_segmentation_palette_exact_and_consistent(seed):
    scene = syn.sample_scene(seed)
    imgs = syn.render(scene)
    seg = imgs["segmentation"]
    assert seg.shape == (scene.height, scene.width, 3)
    colours = {tuple(c) for c in seg.reshape(-1, 3)}
    palette = set(syn.SEG_PALETTE.values())
    assert colours <= palette
    # the nearest object is visible with its class colour at its centre (unless covered)
    near = scene.objects[-1]
    if near.shape != "ring":
        assert tuple(seg[int(near.cy), int(near.cx)]) == syn.SEG_PALETTE[near.shape]
    # background pixels: normal (0,0,1) and the darkest depth
    bg = np.all(seg == 0, axis=-1)
    if bg.any():
        assert np.all(imgs["normals"][bg] == [128, 128, 255])
        assert imgs["depth"][bg].max() < imgs["depth"][~bg].min() if (~bg).any() else True


def test_depth_order_near_is_bright():
    scene = syn.sample_scene(0, size=(128, 128), n_objects=1)
    o = scene.objects[0]
    # two overlapping squares, the later one nearer
    far = syn.Obj("square", "red", 50, 64, 25, 0.3, (0.0, 0.0))
    nearer = syn.Obj("square", "blue", 78, 64, 25, 0.8, (0.0, 0.0))
    scene.objects = [far, nearer]
    scene.target = 0
    imgs = syn.render(scene)
    d = imgs["depth"][..., 0].astype(int)
    assert d[64, 64] > d[64, 40] > d[5, 5]  # overlap shows the nearer one; background darkest
    assert d[122, 5] > d[5, 5]  # the backdrop leans toward the viewer at the bottom
    assert tuple(imgs["segmentation"][64, 64]) == syn.SEG_PALETTE["square"]
    assert tuple(imgs["rgb"][64, 64]) != tuple(imgs["rgb"][64, 40])
    assert np.all(d[..., None] == imgs["depth"])  # grayscale
    del o


def test_normals_encoding_of_a_disc():
    scene = syn.sample_scene(0, size=(128, 128), n_objects=1)
    scene.objects = [syn.Obj("disc", "red", 64, 64, 30, 0.5, (0.0, 0.0))]
    n = syn.render(scene)["normals"].astype(int)
    assert abs(n[64, 64, 0] - 128) <= 3 and abs(n[64, 64, 1] - 128) <= 3 and n[64, 64, 2] > 250
    assert n[64, 90, 0] > 200  # right side points right (x right)
    assert n[40, 64, 1] > 180  # upper side points up (y up)
    assert n[88, 64, 1] < 80


def test_detect_box_outline_position():
    scene = syn.sample_scene(0, size=(128, 128), n_objects=1)
    scene.objects = [syn.Obj("square", "green", 60, 70, 20, 0.5, (0.0, 0.0))]
    scene.target = 0
    imgs = syn.render(scene)
    x0, y0, x1, y1 = syn.object_box(scene, scene.objects[0])
    assert (x0, y0, x1, y1) == (44, 54, 75, 85)
    det = imgs["detect"]
    mag = np.all(det == syn.BOX_RGB, axis=-1)
    ys, xs = np.nonzero(mag)
    assert (xs.min(), ys.min(), xs.max(), ys.max()) == (x0, y0, x1, y1)
    w = syn.BOX_WIDTH
    assert mag[y0:y0 + w, x0:x1 + 1].all() and not mag[y0 + w, x0 + w:x1 + 1 - w].any()
    assert mag[y0:y1 + 1, x1 + 1 - w:x1 + 1].all()
    # elsewhere the detect image equals the scene
    assert np.array_equal(det[~mag], imgs["rgb"][~mag])


def test_prompts_come_from_the_shared_templates():
    t = syn.load_templates()
    scene = syn.sample_scene(3)
    p = syn.task_prompt("t2i", scene, t)
    assert p == (f"Generate an image of {scene.width}x{scene.height} according to the "
                 f"following prompt:\n{syn.caption(scene)}")
    assert syn.task_prompt("depth", scene, t) == "Depth estimation. <|image|>"
    assert syn.task_prompt("segmentation", scene, t) == "Segmentic segmentation. <|image|>"
    det = syn.task_prompt("detect", scene, t)
    assert det.startswith("Detect: the ") and det.endswith(" <|image|>")
    assert syn.task_prompt("edit", scene, t) == syn.edit_of(scene)[0] + " <|image|>"
    assert syn.task_prompt("condition", scene, t) == ("Generate an image according to the provided image, and "
                                                      f"according to the following caption:\n{syn.caption(scene)} <|image|>")


def test_task_families_of_a_decoder_come_from_the_shared_catalogue():
    assert syn.task_families(["depth", "normals", "segmentation", "detect"]) == ["image_to_image"]
    assert syn.task_families(["describe", "t2i"]) == ["text_to_image", "text"]


def test_miou():
    a = np.zeros((4, 4), int)
    a[:2] = 1
    assert syn.miou(a, a) == 1.0
    b = np.zeros((4, 4), int)
    assert syn.miou(b, a) == pytest.approx(0.25)


def test_unirep_layout():
    import decoder_stage as ds
    codes = np.arange(60)
    toks = ds.unirep(codes, 6, 10)  # a 160x96 image: 6 rows of 10
    assert toks[:3] == [8197, 8804 + 3, 8804 + 5]
    assert toks[-1] == 8196
    assert len(toks) == 6 * 11 + 4
    assert toks[3:13] == list(range(4, 14)) and toks[13] == 8803


def test_tiny_tokenizer_with_small_codebook(tmp_path):
    from lumina_export import tokenizer_gen as tg
    tokens = tg.make_tiny_tokenizer(9216, tmp_path / "t.json", codebook_size=512)
    assert tokens["image_token_first"] == 4 and tokens["image_token_last"] == 515
    assert tokens["codebook_size"] == 512
    out = tg.prepare_tokenizer(tmp_path / "t.json", tmp_path / "p.json", codebook_size=512)
    assert out["separator"] == 8710 and out["image_start"] == 8197


def test_spearman_and_normals_angle():
    a = np.arange(20.0).reshape(4, 5)
    assert syn.spearman(a, a) == pytest.approx(1.0)
    assert syn.spearman(a, -a) == pytest.approx(-1.0)
    assert syn.spearman(a, np.zeros_like(a)) == 0.0
    imgs = syn.render(syn.sample_scene(3))
    assert syn.normals_mean_angle(imgs["normals"], imgs["normals"]) < 0.5
    flat = np.full_like(imgs["normals"], [128, 128, 255])
    assert syn.normals_mean_angle(flat, flat) < 0.5


def test_box_from_outline_and_iou():
    for seed in range(4):
        scene = syn.sample_scene(seed)
        imgs = syn.render(scene)
        truth = syn.object_box(scene, scene.objects[scene.target])
        assert syn.box_iou(syn.box_from_outline(imgs["detect"]), truth) > 0.9
    assert syn.box_from_outline(syn.render(syn.sample_scene(0))["rgb"]) is None
    # an outline in pieces (a gap of 10 px, pieces 11 px apart) is one box; at the image's edge too
    scene = syn.sample_scene(2)
    broken = syn.draw_box(syn.render(scene)["rgb"], (0, 20, 60, 70))
    broken[:, 25:35] = syn.render(scene)["rgb"][:, 25:35]
    assert syn.box_from_outline(broken) == (0, 20, 60, 70)
    assert syn.box_iou((0, 0, 9, 9), (0, 0, 9, 9)) == 1.0
    assert syn.box_iou((0, 0, 9, 9), (20, 20, 29, 29)) == 0.0


def test_components_and_shape_classifier():
    m = np.zeros((10, 10), bool)
    m[1:3, 1:3] = True
    m[5:9, 5:9] = True
    big = syn.largest_component(m)
    assert big.sum() == 16 and big[6, 6]
    for shape in syn.SHAPES:
        o = syn.Obj(shape, "red", 64.0, 64.0, 24.0, 0.8, (0.1, -0.1))
        scene = syn.Scene(0, 128, 128, {"kind": "plain", "base": [90, 90, 90], "amp": 10,
                                        "period": 8, "angle": 0.0, "noise_seed": 1}, [o], 0)
        rgb = syn.render(scene)["rgb"]
        assert syn.t2i_attributes(rgb, scene) == (True, True), shape
        assert syn.object_colour(rgb, scene, o) == "red"


def _mask(inside, size=90):
    """The pixels of a size x size grid whose centres satisfy ``inside(x, y)``."""
    y, x = np.mgrid[0:size, 0:size] + 0.5
    return inside(x, y)


def _rounded_square(corner, c=45.0, r=30.0):
    half = 0.82 * r
    inner = half - corner
    return lambda x, y: ((np.abs(x - c) <= half) & (np.abs(y - c) <= half)
                         & (np.hypot(np.maximum(0, np.abs(x - c) - inner),
                                     np.maximum(0, np.abs(y - c) - inner)) <= corner + 1e-9))


def _cut_triangle(cut, c=45.0, r=30.0):
    tips = [(c + r * np.cos(a), c + r * np.sin(a)) for a in np.radians([-90, 30, 150])]

    def inside(x, y):
        sides = [(x - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (y - b[1])
                 for a, b in zip(tips, tips[1:] + tips[:1])]
        neg, pos = np.any([s < 0 for s in sides], axis=0), np.any([s > 0 for s in sides], axis=0)
        return ~(neg & pos) & (np.hypot(x - c, y - c) <= (1 - cut) * r)
    return inside


def test_shape_classifier_reads_what_a_round_trip_deforms():
    # the same cases as the Java scorer's ShapeFeaturesTest: both classifiers apply one rule set
    c, r = 45.0, 30.0
    d = lambda x, y: np.hypot(x - c, y - c)  # noqa: E731
    cases = {
        "disc": lambda x, y: d(x, y) <= r,
        "square": _rounded_square(0),
        "triangle": _cut_triangle(0),
        "ring": lambda x, y: (d(x, y) <= r) & (d(x, y) >= 0.55 * r),
        "rounded square": _rounded_square(0.33 * 0.82 * r),
        "blunt triangle": _cut_triangle(0.25),
        "wavy disc": lambda x, y: d(x, y) <= r * (1 + 0.08 * np.cos(6 * np.arctan2(y - c, x - c))),
        "broken ring": lambda x, y: ((d(x, y) <= r) & (d(x, y) >= 0.55 * r)
                                     & ~((x > c) & (np.abs(y - c) < 5))),
    }
    wavy = _rounded_square(0.4 * 0.82 * r)
    cases["wavy square"] = lambda x, y: wavy(
        c + (x - c) / (1 + 0.08 * np.sin((y - c) / (0.82 * r) * 3 * np.pi)),
        c + (y - c) / (1 + 0.08 * np.sin((x - c) / (0.82 * r) * 3 * np.pi)))
    for name, inside in cases.items():
        assert syn.classify_shape(_mask(inside)) == name.split()[-1], name
    bitten = _mask(lambda x, y: (d(x, y) <= r) & (np.hypot(x - c - r, y - c) > 0.5 * r))
    assert syn.classify_shape(bitten) != "ring"


def test_objects_whole_and_one_colour_each():
    for seed in range(200):
        scene = syn.sample_scene(seed)
        colours = [o.colour for o in scene.objects]
        assert len(set(colours)) == len(colours)
        for o in scene.objects:
            x0, y0, x1, y1 = syn.object_box(scene, o)
            assert x0 > 0 and y0 > 0 and x1 < scene.width - 1 and y1 < scene.height - 1


def test_attribute_classifier_recognises_the_rendered_truth():
    # the t2i score is only a measure of the model if the classifier reads the truth itself
    ok = [all(syn.t2i_attributes(syn.render(s)["rgb"], s))
          for s in (syn.sample_scene(30_000_000 + i) for i in range(40))]
    assert np.mean(ok) >= 0.99


def test_edge_loss_charges_a_ramp_and_not_the_sharp_step():
    import torch
    import vq_stage as vq
    step = torch.zeros(1, 3, 8, 8)
    step[..., 4:] = 1.0
    ramp = step.clone()
    ramp[..., 3], ramp[..., 4] = 1 / 3, 2 / 3  # the same step blurred over three pixels
    shifted = torch.roll(step, 1, dims=-1)
    shifted[..., 0] = 0
    assert vq.edge_l1(step, step) == 0
    # per row of 7 differences: ramp 4/3, a sharp step one pixel off 2 (in 7 * 2 directions)
    assert torch.isclose(vq.edge_l1(ramp, step), torch.tensor(4 / 3 * 8 / (8 * 7)))
    assert torch.isclose(vq.edge_l1(shifted, step), torch.tensor(2 * 8 / (8 * 7)))


def test_object_weight_falls_on_the_objects_and_their_outline():
    import torch
    import vq_stage as vq
    rng = np.random.default_rng(0)
    x, objects = vq.make_batch(rng, 4, 64, 5, 0)
    assert x.shape == (4, 3, 64, 64) and objects.shape == (4, 1, 64, 64)
    assert objects.max() == 1 and objects.min() == 0  # crops centred on objects see some
    w = vq.pixel_weights(objects, 4.0)
    assert torch.allclose(w.mean(dim=(-2, -1)), torch.ones(4, 1))
    far = vq.F.max_pool2d(objects, 2 * vq.OBJECT_MARGIN + 1, 1, vq.OBJECT_MARGIN) == 0
    near = ~far
    for i in range(4):  # per image (each is scaled to its own mean)
        wi, on, band = w[i], objects[i] > 0, near[i] & (objects[i] == 0)
        if far[i].any():
            assert (wi[on] > wi[far[i]].max()).all()  # on an object > away from every object
        assert torch.allclose(wi[band], wi[on].min())  # the outline's band weighs as the object
    assert torch.equal(vq.pixel_weights(objects, 0.0), torch.ones_like(objects))


def test_rgb_share_keeps_the_other_kinds_in_proportion():
    import vq_stage as vq
    assert np.allclose(vq.kind_probabilities(), vq.KIND_P)
    p = vq.kind_probabilities(0.5)
    assert vq.KINDS[0] == "rgb" and p[0] == 0.5 and np.isclose(p.sum(), 1)
    assert np.allclose(p[1:] / p[1:].sum(), np.array(vq.KIND_P[1:]) / sum(vq.KIND_P[1:]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        vq.kind_probabilities(1.0)


def test_widened_latent_starts_near_the_narrow_vq():
    import torch
    import vq_stage as vq
    torch.manual_seed(0)
    narrow = vq.VQModel(vq.VQ_DDCONFIG, 512, 3).eval()
    wide = vq.new_model(1)
    vq.widen_latent(wide, narrow.state_dict())
    wide.eval()
    x = vq.to_pixels(syn.render(syn.sample_scene(3))["rgb"])[None]
    with torch.no_grad():
        # the same sums, but a 1x1 convolution with a fourth output channel may add them in
        # another order on some CPUs (seen: 1 ulp on an AMD EPYC), so equal up to rounding
        assert torch.allclose(wide.quant_conv(wide.encoder(x))[:, :3], narrow.encode_latents(x),
                              rtol=0, atol=1e-6)
        new_cols = wide.post_quant_conv.weight[:, 3:]
        assert new_cols.abs().max() > 0  # the new latent gets gradients from the start
        assert new_cols.std() < 0.2 * narrow.post_quant_conv.weight.std()


def test_widened_channels_compute_what_the_narrow_vq_computes():
    """A wider VQ loaded from a narrow one encodes every image to the same latents (so the
    decoders' token data stays valid) and, without noise, decodes them to the same pixels."""
    import torch
    import vq_stage as vq
    torch.manual_seed(0)
    narrow_cfg = dict(vq.VQ_DDCONFIG, ch=vq.VQ_DDCONFIG["ch"] // 2,
                      ch_mult=[1, 1, 1, 1, 2 * vq.VQ_DDCONFIG["ch_mult"][-1]])
    narrow = vq.VQModel(narrow_cfg, vq.VQ_N_EMBED, vq.VQ_EMBED_DIM).eval()
    for p in narrow.parameters():  # away from the init's symmetric, near-zero biases
        p.data.add_(0.05 * torch.randn(p.shape))
    x = vq.to_pixels(syn.render(syn.sample_scene(3))["rgb"])[None]
    q = vq.fsq_quantize(narrow.encode_latents(x))[0]
    for noise in (0.0, 0.01):
        wide = vq.new_model(1)
        vq.widen_channels(wide, narrow.state_dict(), narrow_cfg, noise=noise)
        wide.eval()
        with torch.no_grad():
            assert torch.allclose(wide.encode_latents(x), narrow.encode_latents(x), atol=1e-4)
            out_n = narrow.decoder(narrow.post_quant_conv(q))
            out_w = wide.decoder(wide.post_quant_conv(q))
        assert torch.allclose(out_w, out_n, atol=1e-4) == (noise == 0.0)
        assert float((out_w - out_n).abs().mean()) < 0.05
    copies = wide.decoder.up[0].block[0].conv1.weight  # 64 out channels: 8 groups of 4 + 4 copies
    assert not torch.allclose(copies[0], copies[4])  # the noise sets the copies apart
    with pytest.raises(ValueError, match="group count"):
        vq.widen_channels(wide, narrow.state_dict(), dict(narrow_cfg, norm_groups=4))


def test_box_width_matches_what_the_readers_are_told():
    """The exported manifest and the scorer's truth conventions name the drawn line width."""
    import json
    from lumina_export import bundle
    assert bundle.SYNTHETIC_OUTPUTS["detect"]["line_width"] == syn.BOX_WIDTH
    scenes = json.load(open(HERE.parents[1] / "plugin/src/main/resources/org/lumina/mgpt/cli/"
                                              "score/synthetic-scenes.json"))
    assert scenes["truth"]["detect"] == bundle.SYNTHETIC_OUTPUTS["detect"]


def test_frozen_encoder_trains_the_pixel_decoder_only():
    import torch
    import vq_stage as vq
    model = vq.new_model(1)
    x = vq.to_pixels(syn.render(syn.sample_scene(5))["detect"])[None]
    with torch.no_grad():
        codes_before = model.encode_codes(x)
    frozen = {n: p.detach().clone() for n, p in model.named_parameters()}

    class Args:
        lr, freeze_encoder = 1e-2, True
    opt = vq.make_optimizer(model, Args)
    rec, _, _ = vq.vq_forward(model, x, freeze_encoder=True)
    (rec - x).abs().mean().backward()
    opt.step()
    changed = {n for n, p in model.named_parameters() if not torch.equal(p, frozen[n])}
    assert changed and all(n.startswith(("decoder.", "post_quant_conv.")) for n in changed)
    assert any(n.startswith("decoder.") for n in changed)
    with torch.no_grad():
        assert torch.equal(model.encode_codes(x), codes_before)


def test_samples_of_chosen_tasks_only():
    import decoder_stage as ds
    codes = np.zeros((len(ds.KINDS), 64), dtype=np.int16)
    scene_codes = [(7, codes, (8, 8))]
    every = ds.build_samples(scene_codes, 0)
    dense = ds.build_samples(scene_codes, 0, ("depth", "detect"))
    prompts = {t: ds.TextEncoder()(syn.task_prompt(t, syn.sample_scene(7), syn.load_templates())
                                    .split(ds.tg.IMAGE_PLACEHOLDER)[0]) for t in syn.TASK_IDS}
    def starts(samples, task):
        head = [ds.BOS] + prompts[task]
        return any(ids[:len(head)] == head for ids, _ in samples)
    assert all(starts(every, t) for t in syn.TASK_IDS)
    assert starts(dense, "depth") and starts(dense, "detect")
    assert not any(starts(dense, t) for t in ("t2i", "normals", "segmentation", "describe"))


def test_condition_samples_draw_the_scene_from_each_of_its_maps():
    import decoder_stage as ds
    h, w = 4, 4
    codes = np.stack([np.full(64, 10 * (i + 1), dtype=np.int16) for i in range(len(ds.KINDS))])
    samples = [(ids, start) for ids, start in ds.build_samples([(7, codes, (h, w))], 0, ("condition",)) if start > 1]
    rep = {k: ds.unirep(codes[i], h, w) for i, k in enumerate(ds.KINDS)}
    def contains(ids, part):
        return any(ids[i:i + len(part)] == part for i in range(len(ids) - len(part) + 1))
    assert len(samples) == len(syn.CONDITION_INPUTS) == 2
    for (ids, start), source in zip(samples, syn.CONDITION_INPUTS):
        assert contains(ids[:start], rep[source]) and not contains(ids[:start], rep["rgb"])
        assert ids[start:] == rep["rgb"] + [ds.SEP]
    assert syn.task_families(["condition"]) == ["image_to_image"]


def test_edit_recolours_the_nearest_object_only():
    for seed in range(20):
        scene = syn.sample_scene(seed)
        instruction, edited = syn.edit_of(scene)
        nearest, new = scene.objects[-1], edited.objects[-1]
        assert instruction == f"Make the {nearest.colour} {nearest.shape} {new.colour}."
        assert new.colour not in {o.colour for o in scene.objects}
        assert dataclasses.replace(new, colour=nearest.colour) == nearest
        assert edited.objects[:-1] == scene.objects[:-1] and syn.edit_of(scene) == (instruction, edited)
        imgs = syn.images(scene, ("edit",))
        changed = np.any(imgs["edit"] != imgs["rgb"], axis=-1)
        mask, _, _ = syn.object_geometry(nearest, *syn._grid(scene))
        assert changed.any() and not changed[~mask].any()
    assert "edit" not in syn.images(scene, ("rgb",))


def test_chunks_made_before_a_kind_existed_hold_it_absent():
    import decoder_stage as ds
    made = ds.KINDS.index("edit")  # a chunk made before edit, pose_rgb and pose
    old = {"codes": np.zeros((3, made, 64), dtype=np.int16)}
    codes = ds.chunk_codes(old)
    assert codes.shape == (3, len(ds.KINDS), 64)
    assert np.all(codes[:, made:] == ds.ABSENT) and np.all(codes[:, :made] == 0)
    scene_codes = [(7, codes[0], (8, 8))]
    assert ds.build_samples(scene_codes, 0, ("edit",)) == []
    assert ds.build_samples(scene_codes, 0, ("pose",)) == []
    assert ds.build_samples(scene_codes, 0, ("depth",))


def test_repeated_task_appears_that_many_times_an_epoch():
    import decoder_stage as ds
    codes = np.zeros((len(ds.KINDS), 64), dtype=np.int16)
    scene_codes = [(7, codes, (8, 8)), (8, codes, (8, 8))]
    once = ds.build_samples(scene_codes, 0, ("depth", "describe"))
    thrice = ds.build_samples(scene_codes, 0, ("depth", "describe"), {"describe": 3})
    head = [ds.BOS] + ds.TextEncoder()(syn.load_templates()["describe"].split(ds.tg.IMAGE_PLACEHOLDER)[0])
    captions = lambda samples: sum(ids[:len(head)] == head for ids, _ in samples)  # noqa: E731
    assert captions(thrice) == 3 * captions(once) == 6
    assert len(thrice) - captions(thrice) == len(once) - captions(once)


@pytest.fixture
def tokenize_runs(tmp_path, monkeypatch):
    """decoder_stage writing chunks of 2 scenes into a runs folder under tmp_path, with the
    committed VQ and tokenizer."""
    import decoder_stage as ds
    checkpoints = HERE / "checkpoints"
    (tmp_path / "vq").mkdir()
    (tmp_path / "vq" / "last.pt").symlink_to(checkpoints / "vq" / "last.pt")
    monkeypatch.setattr(ds, "RUNS", tmp_path)
    monkeypatch.setattr(ds, "DATA_DIR", tmp_path / "decoder" / "data")
    monkeypatch.setattr(ds, "TOKENIZER_PATH", checkpoints / "decoder" / "tokenizer.json")
    monkeypatch.setattr(ds, "CHUNK", 2)
    return ds


def test_tokenize_rewrites_one_kind_and_keeps_the_others(tmp_path, tokenize_runs):
    """--rewrite depth re-encodes the depth codes of existing chunks (after a change to how
    depth is rendered) and leaves every other kind's codes as they were."""
    ds = tokenize_runs

    class Args:
        scenes, rewrite = 2, ()
    ds.tokenize(Args)
    chunk = tmp_path / "decoder" / "data" / "chunk_0000.npz"
    with np.load(chunk) as d:
        fresh = d["codes"].copy()
    depth = ds.KINDS.index("depth")
    stale = fresh.copy()
    stale[:, depth] = 7  # as if depth had been rendered differently when these were made
    np.savez_compressed(chunk, codes=stale, hw=np.load(chunk)["hw"], seeds=np.arange(2))

    Args.rewrite = ("depth",)
    ds.tokenize(Args)
    with np.load(chunk) as d:
        got = d["codes"]
    others = [i for i in range(len(ds.KINDS)) if i != depth]
    assert np.array_equal(got[:, others], fresh[:, others])
    # encoded alone, not in a batch with the other kinds: a code at a rounding boundary may
    # come out differently (6 % of these two scenes' slots when measured)
    assert (got[:, depth] == fresh[:, depth]).mean() > 0.85

    Args.rewrite = ("height",)
    with pytest.raises(SystemExit, match="unknown image kind"):
        ds.tokenize(Args)


def test_tokenize_kinds_leaves_the_others_absent_until_rewrite_fills_them(tmp_path, tokenize_runs):
    """--kinds rgb chunks train text to image and captions only; --rewrite depth then adds
    depth; --shard 1/2 writes only the odd chunks."""
    ds = tokenize_runs
    data = tmp_path / "decoder" / "data"

    class Args:
        scenes, rewrite, kinds, shard = 4, (), ("rgb",), (1, 2)

    def chunk():
        with np.load(data / "chunk_0001.npz") as d:
            return [(int(s), c.copy(), tuple(int(v) for v in hw)) for s, c, hw in zip(d["seeds"], d["codes"], d["hw"])]

    def prompted(scene_codes):  # the samples with a prompt (not the CFG unconditional ones)
        return sum(start > 1 for _, start in ds.build_samples(scene_codes, 0, ("depth", "describe", "t2i")))

    ds.tokenize(Args)
    assert sorted(p.name for p in data.glob("*.npz")) == ["chunk_0001.npz"]
    rgb, depth, normals = (ds.KINDS.index(k) for k in ("rgb", "depth", "normals"))
    assert all(np.all(c[rgb, :h * w] >= 0) and np.all(c[depth:] == ds.ABSENT) for _, c, (h, w) in chunk())
    assert prompted(chunk()) == 2 * 2  # describe and t2i of both scenes, no depth

    Args.rewrite = ("depth",)
    ds.tokenize(Args)
    assert all(np.all(c[depth, :h * w] >= 0) and np.all(c[normals] == ds.ABSENT) for _, c, (h, w) in chunk())
    assert prompted(chunk()) == 3 * 2


def test_answer_class_map_merges_slivers_like_the_java_reader():
    """The picture of SegmentationReaderTest.smallRegionsTakeTheirSurroundingsClass, the same
    labels; and the same region size as the bundles' manifests."""
    from lumina_export.bundle import SYNTHETIC_OUTPUTS
    assert SYNTHETIC_OUTPUTS["segmentation"]["min_region_pixels"] == syn.SEG_MIN_REGION
    pal = syn.SEG_PALETTE
    img = np.zeros((30, 40, 3), dtype=np.uint8)
    img[:, 20:] = pal["disc"]
    img[5:10, 19:22] = pal["triangle"]  # 3x5 sliver, mostly inside the disc
    img[15:25, 2:12] = pal["triangle"]  # a region of 100 pixels
    names = list(pal)
    cleaned, raw = syn.answer_class_map(img), syn.answer_class_map(img, min_pixels=0)
    assert cleaned[7, 20] == names.index("disc")
    assert cleaned[20, 5] == names.index("triangle")
    assert cleaned[2, 10] == names.index("background")
    assert raw[7, 20] == names.index("triangle")


def test_pose_figure_stands_whole_inside_with_left_limbs_left():
    for seed in range(60):
        scene = syn.sample_scene(seed)
        figure = syn.pose_of(scene)
        assert syn.pose_of(scene) == figure
        assert figure.colour not in {o.colour for o in scene.objects} | {"white"}
        assert set(figure.keypoints) == set(syn.KEYPOINTS)
        r = figure.joint_radius
        for x, y in figure.keypoints.values():
            assert r <= x <= scene.width - r and r <= y <= scene.height - r
        k = figure.keypoints
        for limb in ("elbow", "hand", "knee", "foot"):
            assert k[f"left_{limb}"][0] < k[f"right_{limb}"][0]
        assert k["head"][1] < k["neck"][1] < k["pelvis"][1] < min(k["left_foot"][1], k["right_foot"][1])


def test_pose_map_gives_back_its_keypoints_and_the_picture_keeps_the_scene_elsewhere():
    for seed in range(30):
        scene = syn.sample_scene(seed)
        imgs = syn.images(scene, ("pose",))
        figure = syn.pose_of(scene)
        found = syn.keypoints_from_map(imgs["pose"])
        assert syn.pose_pck(found, figure) == 1.0
        for name, (x, y) in figure.keypoints.items():  # a hand over the pelvis hides part of it
            assert np.hypot(found[name][0] - x, found[name][1] - y) <= figure.joint_radius, (seed, name)
        changed = np.any(imgs["pose_rgb"] != imgs["rgb"], axis=-1)
        on_map = np.any(imgs["pose"] > 0, axis=-1)
        assert changed.any() and not (changed & ~syn._grow(on_map, 4)).any()  # the body is a bit wider
    assert "pose" not in syn.images(scene, ("edit",))


def test_pose_limb_shades_are_never_read_as_keypoints():
    for end in syn.KEYPOINTS:
        shade = syn.LIMB_SHADE * np.array(syn.KEYPOINT_RGB[end], dtype=float)
        for name, rgb in syn.KEYPOINT_RGB.items():
            assert np.linalg.norm(shade - rgb) > syn.POSE_RADIUS
            if name != end:
                assert np.linalg.norm(np.array(syn.KEYPOINT_RGB[end], dtype=float) - rgb) > 2 * syn.POSE_RADIUS
    blank = np.zeros((40, 40, 3), dtype=np.uint8)
    blank[10:12, 10:12] = syn.KEYPOINT_RGB["head"]  # 4 pixels: under min_pixels
    found = syn.keypoints_from_map(blank)
    assert found["head"] is None and syn.pose_pck(found, syn.Figure(
        {n: (20.0, 20.0) for n in syn.KEYPOINTS}, 80.0, "red")) == 0.0


def test_pose_convention_is_what_the_manifest_and_the_scorer_are_told():
    import json
    from lumina_export import bundle
    told = bundle.SYNTHETIC_OUTPUTS["pose"]
    assert [k["name"] for k in told["keypoints"]] == list(syn.KEYPOINTS)
    assert all(tuple(k["rgb"]) == syn.KEYPOINT_RGB[k["name"]] for k in told["keypoints"])
    assert [tuple(limb) for limb in told["limbs"]] == list(syn.LIMBS)
    assert told["colour_radius"] == syn.POSE_RADIUS and told["background"] == [0, 0, 0]
    scenes = json.load(open(HERE.parents[1] / "plugin/src/main/resources/org/lumina/mgpt/cli/"
                                              "score/synthetic-scenes.json"))
    assert scenes["truth"]["pose"] == told


def test_pose_samples_take_the_figure_picture_and_answer_its_map():
    import decoder_stage as ds
    h, w = 4, 4
    codes = np.stack([np.full(64, 10 * (i + 1), dtype=np.int16) for i in range(len(ds.KINDS))])
    samples = [(ids, start) for ids, start in ds.build_samples([(7, codes, (h, w))], 0, ("pose",)) if start > 1]
    rep = {k: ds.unirep(codes[i], h, w) for i, k in enumerate(ds.KINDS)}
    (ids, start), = samples
    prompt = ds.TextEncoder()(syn.load_templates()["pose"].split(ds.tg.IMAGE_PLACEHOLDER)[0])
    assert ids[:1 + len(prompt)] == [ds.BOS] + prompt
    assert ids[1 + len(prompt):start - 1] == rep["pose_rgb"] and ids[start:] == rep["pose"] + [ds.SEP]
    assert syn.task_families(["pose"]) == ["image_to_image"]


def test_pose_share_draws_figure_crops_and_none_without_it():
    import torch
    import vq_stage as vq
    for full in (False, True):  # no pose share: the batches of earlier runs, draw for draw
        x, m = vq.make_batch(np.random.default_rng(5), 8, 64, 1234, 3, full=full)
        y, n = vq.make_batch(np.random.default_rng(5), 8, 64, 1234, 3, full=full, pose_share=0.0)
        assert torch.equal(x, y) and torch.equal(m, n)
    x, masks = vq.make_batch(np.random.default_rng(5), 8, 64, 1234, 3, pose_share=0.999)
    # every scene gives its figure picture and then its keypoint map, mostly black, the figure
    # its object
    assert x.shape == (8, 3, 64, 64)
    black = ((x[1::2] + 1).abs() < 1e-6).all(dim=1).float().mean(dim=(1, 2))
    assert bool((black > 0.5).all()) and bool((masks[1::2].mean(dim=(1, 2, 3)) > 0).all())


def test_widening_to_a_fifth_dimension_keeps_the_old_codes_as_a_prefix():
    import torch
    import vq_stage as vq
    narrow = vq.new_model(1)
    wide = vq.new_model(2, (8, 8, 8, 8, 2))
    vq.widen_latent(wide, narrow.state_dict())
    x = vq.to_pixels(syn.render(syn.sample_scene(3))["rgb"])[None]
    with torch.no_grad():
        old, new = narrow.encode_codes(x), wide.encode_codes(x)
    assert wide.n_embed == 8192 and torch.equal(new // 2, old)


def test_a_decoder_carried_to_a_widened_grid_predicts_each_old_code_shared_among_its_new_ones(tmp_path, monkeypatch):
    import json
    import shutil
    import torch
    import decoder_stage as ds
    from lumina_export import tokenizer_gen as tg
    old, new = 4096, 8192
    monkeypatch.setattr(ds, "DEC_DIR", tmp_path)
    monkeypatch.setattr(ds, "TOKENIZER_PATH", tmp_path / "tokenizer.json")
    monkeypatch.setattr(ds, "codebook", lambda: new)
    shutil.copy(HERE / "checkpoints" / "decoder" / "tokenizer.json", tmp_path / "tokenizer.json")
    before = ds.new_model(3)
    with torch.no_grad():  # image rows that differ, so a wrong parent shows
        before.lm_head.weight[:, ds.IMG_FIRST:ds.IMG_FIRST + old] = torch.randn(128, old)
    np.savez(tmp_path / "last.npz", **{k.replace(".", "__"): v.detach().numpy()
                                       for k, v in before.state_dict().items()})
    json.dump({"codebook_size": old, "step": 5}, open(tmp_path / "state.json", "w"))
    ds.carry_to_codebook(old)
    after = ds.load_model(tmp_path / "last.npz")
    assert json.load(open(tmp_path / "state.json"))["codebook_size"] == new
    ids = torch.tensor([[ds.BOS, ds.IMG_START, ds.IMG_FIRST + 17]])
    wide_ids = torch.tensor([[ds.BOS, ds.IMG_START, ds.IMG_FIRST + 35]])  # 35 // 2 == 17
    def last_logits(model, x):
        with torch.no_grad():
            return model(x, torch.ones_like(x), torch.arange(x.shape[1])[None], num_logits_to_keep=1)[0][0, -1]
    lo, hi = last_logits(before, ids), last_logits(after, wide_ids)
    codes = torch.arange(new)
    assert torch.allclose(hi[ds.IMG_FIRST + codes], lo[ds.IMG_FIRST + codes // 2], atol=1e-5)
    vocab = json.load(open(tmp_path / "tokenizer.json"))["model"]["vocab"]
    committed = json.load(open(HERE / "checkpoints" / "decoder" / "tokenizer.json"))["model"]["vocab"]
    assert all(vocab[tg.image_token_name(c)] == ds.IMG_FIRST + c for c in (0, old - 1, old, new - 1))
    assert {n: i for n, i in vocab.items() if i >= tg.TEXT_BASE_ID} == \
        {n: i for n, i in committed.items() if i >= tg.TEXT_BASE_ID}
    with pytest.raises(ValueError, match="whole widening"):
        ds.widen_codebook({}, 4096, 6000)
