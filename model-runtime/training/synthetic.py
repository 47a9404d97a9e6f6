"""Synthetic scenes for training and scoring the small Lumina-mGPT model.

Every scene is drawn from a seed (numpy Generator) and its truth gives every task:

* ``rgb``          the scene: coloured shapes (disc, square, triangle, ring) with depth order and
                   Lambert shading on a textured background;
* ``depth``        grayscale, near = bright (the backdrop a dark ramp, brighter toward the bottom);
* ``normals``      RGB, channel = (n + 1) / 2 * 255, x right, y up, z toward the viewer;
* ``segmentation`` fixed palette (:data:`SEG_PALETTE`), nearest object wins;
* ``detect``       the scene with a magenta [255, 0, 255] box outline (width 6) around one object
                   (``Detect: the red disc``);
* ``caption``      text naming sizes, colours, shapes and positions (t2i prompts and
                   ``Describe the image in detail.`` answers);
* ``edit``         the scene with its nearest object recoloured (:func:`edit_of`);
* ``pose_rgb``     the scene with a stick figure standing in it, ``pose`` the figure's keypoint
                   map (:func:`render_pose`).

Prompts are built from the shared task templates (``tasks.json`` read by the Java task layer),
so training and inference agree. Everything is deterministic given the seed.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]
TASKS_JSON = REPO / "model-runtime/src/main/resources/org/lumina/mgpt/runtime/task/tasks.json"

TARGET_SIZE = 128
SHAPES = ("disc", "square", "triangle", "ring")
SEG_PALETTE: Dict[str, Tuple[int, int, int]] = {
    "background": (0, 0, 0),
    "disc": (230, 25, 75),
    "square": (60, 180, 75),
    "triangle": (0, 130, 200),
    "ring": (255, 225, 25),
    "person": (245, 130, 48),
}
BOX_RGB = (255, 0, 255)
# Wide enough for the VQ (16 px a token) to keep it: a 2 px outline came back from its round
# trip as a faint pink smear the box reader could not find.
BOX_WIDTH = 6
COLOURS: Dict[str, Tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "green": (40, 170, 60),
    "blue": (40, 80, 225),
    "yellow": (235, 215, 40),
    "orange": (245, 140, 30),
    "purple": (145, 60, 185),
    "white": (240, 240, 240),
    "cyan": (40, 200, 215),
}
LIGHT = np.array([-0.45, 0.55, 0.70]) / np.linalg.norm([-0.45, 0.55, 0.70])
# Nearness of the backdrop at the top and bottom rows: it leans toward the viewer like a floor
# seen from above, a ramp below every object (they are 0.25-1.0 near). A flat backdrop (86 % of
# the pixels in one tie) made depth's rank correlation measure noise: the VQ round trip of the
# truth itself scored 0.60, since any grey level it left in the backdrop scrambles the ranks.
# The normals keep facing the camera (they are scored on the objects only).
BACKDROP_NEAR = (0.0, 0.2)
# Object radius in pixels: 36-72 px across, 2-4.5 tokens at 16 px a token, so a shape survives
# the VQ round trip (at 12-30 px radius, objects 1-3 tokens wide became blobs: the shape
# classifier recognised 25 % of round trips). Larger than half the range is "large".
OBJECT_RADIUS = (18.0, 36.0)
TASK_IDS = ("t2i", "depth", "normals", "segmentation", "detect", "describe", "condition", "edit",
            "pose")
# The maps a condition-to-image sample is drawn from, one sample each: the prompt does not name
# the kind (spec §4.2), the decoder tells them apart by their look. Held-out scene i takes
# CONDITION_INPUTS[i % 2].
CONDITION_INPUTS = ("segmentation", "depth")


def crop_size_list(target_size: int = TARGET_SIZE, patch: int = 32, max_ratio: float = 4.0):
    """Spec §2.2 ``generate_crop_size_list``: (W, H) pairs for a target size."""
    num_patches = (target_size // patch) ** 2
    wp, hp = num_patches, 1
    out = []
    while wp > 0:
        if max(wp, hp) / min(wp, hp) <= max_ratio:
            out.append((wp * patch, hp * patch))
        if (hp + 1) * wp <= num_patches:
            hp += 1
        else:
            wp -= 1
    return out


# The 128 list holds 128x128, 160x96, 96x160 (and more elongated ones): the scenes use these three.
SCENE_SIZES: Tuple[Tuple[int, int], ...] = ((128, 128), (160, 96), (96, 160))


def load_templates(path: Path = TASKS_JSON) -> Dict[str, str]:
    with open(path, "r", encoding="utf-8") as f:
        doc = json.load(f)
    return {t["id"]: t["template"] for t in doc["tasks"]}


def task_families(tasks: Sequence[str], path: Path = TASKS_JSON) -> List[str]:
    """The task families (``text_to_image``, ``image_to_image``, ``text``) of ``tasks``, in
    ``tasks.json`` order: what a bundle trained on ``tasks`` declares in ``families``."""
    with open(path, "r", encoding="utf-8") as f:
        doc = json.load(f)
    families = []
    for t in doc["tasks"]:
        if t["id"] in tasks and t["family"] not in families:
            families.append(t["family"])
    return families


@dataclasses.dataclass
class Obj:
    shape: str
    colour: str
    cx: float
    cy: float
    r: float
    near: float  # nearness in (0, 1]: larger = closer to the viewer
    tilt: Tuple[float, float]  # (nx, ny) of the flat shapes

    @property
    def size_word(self) -> str:
        return "large" if self.r >= sum(OBJECT_RADIUS) / 2 else "small"

    def phrase(self) -> str:
        return f"the {self.colour} {self.shape}"


@dataclasses.dataclass
class Scene:
    seed: int
    width: int
    height: int
    bg: dict
    objects: List[Obj]  # far → near (drawing order)
    target: int  # index of the object the detect task names

    def to_json(self) -> dict:
        d = dataclasses.asdict(self)
        d["caption"] = caption(self)
        d["detect_phrase"] = self.objects[self.target].phrase()
        d["boxes"] = [list(object_box(self, o)) for o in self.objects]
        return d


# ---------------------------------------------------------------------------------------------
# Scene sampling
# ---------------------------------------------------------------------------------------------

def sample_scene(seed: int, size: Optional[Tuple[int, int]] = None,
                 n_objects: Optional[int] = None) -> Scene:
    rng = np.random.default_rng(int(seed))
    w, h = size if size is not None else SCENE_SIZES[int(rng.integers(len(SCENE_SIZES)))]
    n = int(n_objects) if n_objects is not None else int(rng.choice([1, 1, 2, 2]))
    bg = {
        "kind": str(rng.choice(["plain", "stripes", "checker", "noise", "gradient"])),
        # greyish: a saturated background would share an object's hue (a green object on a
        # green field cannot be told apart by colour, by the scorer or anyone)
        "base": [int(v) for v in int(rng.integers(55, 150)) + rng.integers(-12, 13, 3)],
        "amp": int(rng.integers(8, 22)),
        "period": int(rng.integers(6, 16)),
        "angle": float(rng.uniform(0, math.pi)),
        "noise_seed": int(rng.integers(1 << 30)),
    }
    # one colour per object: "the red disc" names one region, for the model and the scorer
    colours = rng.choice(len(COLOURS), size=n, replace=False)
    shapes = rng.integers(len(SHAPES), size=n)
    nears = np.sort(rng.uniform(0.25, 1.0, size=n))
    while n > 1 and np.min(np.diff(nears)) < 0.12:
        nears = np.sort(rng.uniform(0.25, 1.0, size=n))
    objs = []
    for k in range(n):
        shape, colour = SHAPES[int(shapes[k])], list(COLOURS)[int(colours[k])]
        r = float(rng.uniform(OBJECT_RADIUS[0], OBJECT_RADIUS[1]))
        cx = float(rng.uniform(r + 2, w - r - 2))  # whole objects: the image border is
        cy = float(rng.uniform(r + 2, h - r - 2))  # background (the scorer reads it so)
        tilt = (float(rng.uniform(-0.35, 0.35)), float(rng.uniform(-0.35, 0.35)))
        objs.append(Obj(shape, colour, cx, cy, r, float(nears[k]), tilt))
    target = int(rng.integers(n))
    return Scene(int(seed), int(w), int(h), bg, objs, target)


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------

def _grid(scene: Scene):
    ys, xs = np.mgrid[0:scene.height, 0:scene.width].astype(np.float64)
    return xs + 0.5, ys + 0.5


def object_geometry(o: Obj, xs: np.ndarray, ys: np.ndarray):
    """(mask, normals [H,W,3], nearness [H,W]) of one object on the pixel grid."""
    dx, dy = xs - o.cx, ys - o.cy
    d = np.sqrt(dx * dx + dy * dy)
    nrm = np.zeros(xs.shape + (3,))
    near = np.full(xs.shape, o.near)
    flat = np.array([o.tilt[0], o.tilt[1], 1.0])
    flat /= np.linalg.norm(flat)
    if o.shape == "disc":
        mask = d <= o.r
        rho2 = np.clip((dx * dx + dy * dy) / (o.r * o.r), 0, 1)
        nrm[..., 0] = dx / o.r
        nrm[..., 1] = -dy / o.r
        nrm[..., 2] = np.sqrt(1 - rho2)
        near = o.near + 0.06 * np.sqrt(1 - rho2)
    elif o.shape == "ring":
        ri = 0.55 * o.r
        mask = (d <= o.r) & (d >= ri)
        rc, rt = (o.r + ri) / 2, (o.r - ri) / 2
        t = np.clip((d - rc) / rt, -1, 1)
        dd = np.maximum(d, 1e-6)
        nrm[..., 0] = t * dx / dd
        nrm[..., 1] = -t * dy / dd
        nrm[..., 2] = np.sqrt(1 - t * t)
        near = o.near + 0.04 * np.sqrt(1 - t * t)
    elif o.shape == "square":
        a = 0.82 * o.r
        mask = (np.abs(dx) <= a) & (np.abs(dy) <= a)
        nrm[...] = flat
    elif o.shape == "triangle":
        # upward-pointing triangle inscribed in the circle of radius r
        p = triangle_vertices(o)
        mask = _inside_triangle(xs, ys, p)
        nrm[...] = flat
    else:
        raise ValueError(o.shape)
    return mask, nrm, near


def triangle_vertices(o: Obj) -> np.ndarray:
    ang = np.array([-90.0, 30.0, 150.0]) * math.pi / 180
    return np.stack([o.cx + o.r * np.cos(ang), o.cy + o.r * np.sin(ang)], axis=1)


def _inside_triangle(xs, ys, p):
    def side(a, b):
        return (xs - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (ys - b[1])
    d1, d2, d3 = side(p[0], p[1]), side(p[1], p[2]), side(p[2], p[0])
    neg = (d1 < 0) | (d2 < 0) | (d3 < 0)
    pos = (d1 > 0) | (d2 > 0) | (d3 > 0)
    return ~(neg & pos)


def object_box(scene: Scene, o: Obj) -> Tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1), inclusive, of the object's full (unoccluded) shape."""
    xs, ys = _grid(scene)
    mask, _, _ = object_geometry(o, xs, ys)
    yy, xx = np.nonzero(mask)
    return int(xx.min()), int(yy.min()), int(xx.max()), int(yy.max())


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

def _background(scene: Scene, xs, ys) -> np.ndarray:
    bg = scene.bg
    base = np.array(bg["base"], dtype=np.float64)
    amp = float(bg["amp"])
    u = xs * math.cos(bg["angle"]) + ys * math.sin(bg["angle"])
    kind = bg["kind"]
    if kind == "plain":
        f = np.zeros_like(xs)
    elif kind == "stripes":
        f = np.sign(np.sin(2 * math.pi * u / bg["period"]))
    elif kind == "checker":
        f = ((np.floor(xs / bg["period"]) + np.floor(ys / bg["period"])) % 2) * 2 - 1
    elif kind == "gradient":
        f = (u - u.min()) / max(np.ptp(u), 1e-6) * 2 - 1
    else:  # smooth noise
        g = np.random.default_rng(bg["noise_seed"])
        coarse = g.uniform(-1, 1, (scene.height // 8 + 2, scene.width // 8 + 2))
        img = Image.fromarray(((coarse + 1) * 127.5).astype(np.uint8)).resize(
            (scene.width + 16, scene.height + 16), Image.BILINEAR)
        f = np.asarray(img, dtype=np.float64)[:scene.height, :scene.width] / 127.5 - 1
    return base[None, None, :] + amp * f[..., None]


def render(scene: Scene) -> Dict[str, np.ndarray]:
    """All images of a scene as uint8 HxWx3 arrays: rgb, depth, normals, segmentation, detect."""
    xs, ys = _grid(scene)
    H, W = scene.height, scene.width
    rgb = _background(scene, xs, ys)
    near = BACKDROP_NEAR[0] + (BACKDROP_NEAR[1] - BACKDROP_NEAR[0]) * ys / H
    nrm = np.zeros((H, W, 3))
    nrm[..., 2] = 1.0
    seg = np.zeros((H, W, 3), dtype=np.uint8)
    for o in scene.objects:  # far → near: painter's order
        mask, on, onear = object_geometry(o, xs, ys)
        shade = 0.5 + 0.5 * np.clip(on @ LIGHT, 0, 1)
        col = np.array(COLOURS[o.colour], dtype=np.float64)
        rgb[mask] = (col[None, :] * shade[mask][:, None])
        near[mask] = onear[mask] if np.ndim(onear) else onear
        nrm[mask] = on[mask]
        seg[mask] = SEG_PALETTE[o.shape]
    rgb_u8 = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    depth_v = np.clip(np.round(20 + 225 * near), 0, 255).astype(np.uint8)
    depth = np.repeat(depth_v[..., None], 3, axis=2)
    normals = np.clip(np.round((nrm + 1) / 2 * 255), 0, 255).astype(np.uint8)
    return {"rgb": rgb_u8, "depth": depth, "normals": normals, "segmentation": seg,
            "detect": draw_box(rgb_u8, object_box(scene, scene.objects[scene.target]))}


# The edit task's draws come from a stream of their own, so every scene keeps the draws it had
# before the task existed.
EDIT_STREAM = 0xED17


def edit_of(scene: Scene) -> Tuple[str, Scene]:
    """The editing instruction of ``scene`` and the scene it asks for: the nearest object (never
    hidden) recoloured to a colour no object has, e.g. ``Make the red ring blue.``"""
    rng = np.random.default_rng([scene.seed, EDIT_STREAM])
    nearest = scene.objects[-1]
    taken = {o.colour for o in scene.objects}
    free = [c for c in COLOURS if c not in taken]
    colour = free[int(rng.integers(len(free)))]
    edited = dataclasses.replace(scene, objects=scene.objects[:-1] + [dataclasses.replace(nearest, colour=colour)])
    return f"Make {nearest.phrase()} {colour}.", edited


# Pose on stick figures: every scene also has a stick figure of its own, drawn from a stream of
# its own (so every scene keeps the draws it had). ``pose_rgb`` is the scene's picture with the
# figure standing in it, ``pose`` its keypoint map: on black, each keypoint a disc of its own
# colour and each limb a line in a darker shade of the colour of the keypoint it ends at, as
# OpenPose-style maps are drawn. "left" and "right" are the picture's: the left arm and leg stay
# left of the spine, so the two sides cannot be swapped.
POSE_STREAM = 0x9053
KEYPOINTS = ("head", "neck", "pelvis", "left_elbow", "left_hand", "right_elbow", "right_hand",
             "left_knee", "left_foot", "right_knee", "right_foot")
LIMBS = (("head", "neck"), ("neck", "pelvis"), ("neck", "left_elbow"), ("left_elbow", "left_hand"),
         ("neck", "right_elbow"), ("right_elbow", "right_hand"), ("pelvis", "left_knee"),
         ("left_knee", "left_foot"), ("pelvis", "right_knee"), ("right_knee", "right_foot"))
# Hues 30 degrees apart at full saturation: 128 or more apart in RGB, and the limbs' shade
# (LIMB_SHADE) as far from every keypoint colour, so a reader within POSE_RADIUS of a colour
# finds its disc only.
KEYPOINT_RGB: Dict[str, Tuple[int, int, int]] = {
    "head": (255, 0, 0), "neck": (255, 128, 0), "pelvis": (255, 255, 0),
    "left_elbow": (128, 255, 0), "left_hand": (0, 255, 0), "right_elbow": (0, 255, 128),
    "right_hand": (0, 255, 255), "left_knee": (0, 128, 255), "left_foot": (0, 0, 255),
    "right_knee": (128, 0, 255), "right_foot": (255, 0, 255),
}
LIMB_SHADE = 0.45
POSE_RADIUS = 60
# Lengths as fractions of the figure's height (head top to the feet when standing straight).
HEAD_RADIUS = 0.08  # of the figure in pose_rgb
_BONES = {"neck": 0.13, "torso": 0.31, "upper_arm": 0.17, "forearm": 0.16,
          "thigh": 0.22, "shin": 0.22}
FIGURE_HEIGHT = (0.62, 0.9)  # of the picture's height


@dataclasses.dataclass
class Figure:
    keypoints: Dict[str, Tuple[float, float]]  # pixel centres
    height: float  # head top to feet standing straight, pixels: the scale PCK is measured in
    colour: str  # of the figure in pose_rgb, one no object has

    @property
    def joint_radius(self) -> int:
        return _joint_radius(self.height)

    @property
    def limb_width(self) -> int:
        return max(3, int(round(0.04 * self.height)))


def _joint_radius(height: float) -> int:
    # Large for a 16-pixel VQ token: discs of 4 px radius and 3 px limbs came back from a round
    # trip as smears of mixed hues.
    return max(5, int(round(0.06 * height)))


def _limb_end(start, length: float, angle: float, side: float) -> Tuple[float, float]:
    """From ``start``, ``length`` along ``angle`` (radians from straight down, toward ``side``:
    -1 the picture's left, +1 its right)."""
    return start[0] + side * length * math.sin(angle), start[1] + length * math.cos(angle)


def pose_of(scene: Scene) -> Figure:
    """The stick figure of ``scene``: a random stance (arms anywhere on their own side, legs
    apart and bent at the knee, the spine leaning a little), scaled and placed to stand whole
    inside the picture."""
    rng = np.random.default_rng([scene.seed, POSE_STREAM])
    lean = float(rng.uniform(-0.2, 0.2))
    arms = [(float(rng.uniform(0.2, 2.6)), float(rng.uniform(-1.2, 1.2))) for _ in range(2)]
    legs = [(float(rng.uniform(0.05, 0.55)), float(rng.uniform(-0.5, 0.3))) for _ in range(2)]
    fraction = float(rng.uniform(*FIGURE_HEIGHT))
    u, v = float(rng.uniform()), float(rng.uniform())
    taken = {o.colour for o in scene.objects}
    free = [c for c in COLOURS if c not in taken and c != "white"]  # white fades on light grounds
    colour = free[int(rng.integers(len(free)))]

    def stance(height: float) -> Dict[str, Tuple[float, float]]:
        # no bone shorter than two joint discs: overlapping discs would move each other's centroid
        b = {k: max(f * height, 2 * _joint_radius(height) + 2) for k, f in _BONES.items()}
        k = {"neck": (0.0, 0.0), "head": (-b["neck"] * math.sin(lean), -b["neck"] * math.cos(lean))}
        k["pelvis"] = (b["torso"] * math.sin(lean), b["torso"] * math.cos(lean))
        for side, name, (a1, bend) in ((-1, "left", arms[0]), (1, "right", arms[1])):
            k[f"{name}_elbow"] = _limb_end(k["neck"], b["upper_arm"], a1, side)
            k[f"{name}_hand"] = _limb_end(k[f"{name}_elbow"], b["forearm"],
                                          min(max(a1 + bend, 0.05), 3.0), side)
        for side, name, (a1, bend) in ((-1, "left", legs[0]), (1, "right", legs[1])):
            k[f"{name}_knee"] = _limb_end(k["pelvis"], b["thigh"], a1, side)
            k[f"{name}_foot"] = _limb_end(k[f"{name}_knee"], b["shin"], max(a1 + bend, 0.0), side)
        return k

    height = fraction * scene.height
    while True:
        k = stance(height)
        margin = max(HEAD_RADIUS * height, _joint_radius(height)) + 2
        xs = [p[0] for p in k.values()]
        ys = [p[1] for p in k.values()]
        span_x, span_y = max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin
        if span_x <= scene.width and span_y <= scene.height:
            break
        height *= 0.9  # arms spread wider than a narrow picture: a smaller figure
    dx = margin - min(xs) + u * (scene.width - span_x)
    dy = margin - min(ys) + v * (scene.height - span_y)
    return Figure({n: (k[n][0] + dx, k[n][1] + dy) for n in KEYPOINTS}, height, colour)


def _draw_figure(img: Image.Image, figure: Figure, limb_rgb, limb_width: int, joint_rgb,
                 joint_radius) -> None:
    """Draws the limbs (``limb_rgb(end keypoint)``, ``limb_width`` wide) and then the joints
    (discs of ``joint_rgb(name)``, radius ``joint_radius(name)``, none where it is 0)."""
    draw = ImageDraw.Draw(img)
    for a, b in LIMBS:
        draw.line([figure.keypoints[a], figure.keypoints[b]], fill=limb_rgb(b), width=limb_width)
        for name in (a, b):  # round joints: PIL's wide lines end square
            x, y = figure.keypoints[name]
            r = limb_width / 2
            draw.ellipse([x - r, y - r, x + r, y + r], fill=limb_rgb(b))
    for name in KEYPOINTS:
        x, y = figure.keypoints[name]
        r = joint_radius(name)
        if r:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=joint_rgb(name))


def render_pose(scene: Scene, picture: np.ndarray) -> Dict[str, np.ndarray]:
    """``pose_rgb`` (``picture`` with the scene's figure standing in it: limbs of the figure's
    colour, a round head) and ``pose`` (the keypoint map) of :func:`pose_of`."""
    figure = pose_of(scene)
    body = tuple(COLOURS[figure.colour])
    person = Image.fromarray(picture.copy())
    _draw_figure(person, figure, lambda _: body, max(3, int(round(0.06 * figure.height))),
                 lambda _: body, lambda n: int(round(HEAD_RADIUS * figure.height)) if n == "head" else 0)
    keypoint_map = Image.new("RGB", (scene.width, scene.height))
    _draw_figure(keypoint_map, figure,
                 lambda end: tuple(int(round(LIMB_SHADE * c)) for c in KEYPOINT_RGB[end]),
                 figure.limb_width, lambda n: KEYPOINT_RGB[n], lambda _: figure.joint_radius)
    return {"pose_rgb": np.asarray(person).copy(), "pose": np.asarray(keypoint_map).copy()}


def keypoints_from_map(img: np.ndarray, min_pixels: int = 6) -> Dict[str, Optional[Tuple[float, float]]]:
    """Each keypoint's position in a keypoint map: the centroid of the largest 4-connected region
    of pixels within POSE_RADIUS of its colour (None if it has under ``min_pixels``)."""
    px = img.astype(np.float64)
    found = {}
    for name in KEYPOINTS:
        near = np.linalg.norm(px - np.array(KEYPOINT_RGB[name], dtype=np.float64), axis=2) <= POSE_RADIUS
        m = largest_component(near)
        if m.sum() < min_pixels:
            found[name] = None
        else:
            yy, xx = np.nonzero(m)
            found[name] = (float(xx.mean()) + 0.5, float(yy.mean()) + 0.5)
    return found


PCK_THRESHOLD = 0.1  # of the figure's height


def pose_pck(found: Dict[str, Optional[Tuple[float, float]]], figure: Figure) -> float:
    """Share of keypoints found within PCK_THRESHOLD x the figure's height of the truth."""
    ok = 0
    for name in KEYPOINTS:
        p, t = found.get(name), figure.keypoints[name]
        ok += p is not None and math.hypot(p[0] - t[0], p[1] - t[1]) <= PCK_THRESHOLD * figure.height
    return ok / len(KEYPOINTS)


def images(scene: Scene, kinds: Sequence[str]) -> Dict[str, np.ndarray]:
    """The renders of ``scene`` (:func:`render`) and, when ``kinds`` asks for them, ``edit``: the
    picture of the edited scene (:func:`edit_of`), and ``pose_rgb`` and ``pose``
    (:func:`render_pose`)."""
    imgs = render(scene)
    if "edit" in kinds:
        imgs["edit"] = render(edit_of(scene)[1])["rgb"]
    if "pose" in kinds or "pose_rgb" in kinds:
        imgs.update(render_pose(scene, imgs["rgb"]))
    return imgs


def draw_box(rgb: np.ndarray, box: Tuple[int, int, int, int]) -> np.ndarray:
    img = Image.fromarray(rgb.copy())
    ImageDraw.Draw(img).rectangle(list(box), outline=BOX_RGB, width=BOX_WIDTH)
    return np.asarray(img).copy()


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

def position_word(scene: Scene, o: Obj) -> str:
    col = min(int(3 * o.cx / scene.width), 2)
    row = min(int(3 * o.cy / scene.height), 2)
    v = ("top", "", "bottom")[row]
    hz = ("left", "", "right")[col]
    if not v and not hz:
        return "in the center"
    if v and hz:
        return f"at the {v} {hz}"
    return f"at the {v or hz}"


def caption(scene: Scene) -> str:
    parts = [f"a {o.size_word} {o.colour} {o.shape} {position_word(scene, o)}"
             for o in reversed(scene.objects)]  # nearest first
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_answer(scene: Scene) -> str:
    return f"The image shows {caption(scene)}."


def task_prompt(task: str, scene: Scene, templates: Dict[str, str]) -> str:
    """The user text of ``task`` for ``scene`` from the shared template."""
    tpl = templates[task]
    if task == "t2i":
        return tpl.format(width=scene.width, height=scene.height, caption=caption(scene))
    if task == "detect":
        return tpl.replace("{object}", scene.objects[scene.target].phrase())
    if task == "condition":
        return tpl.replace("{caption}", caption(scene))
    if task == "edit":
        return tpl.replace("{instruction}", edit_of(scene)[0])
    return tpl


def task_input_keys(task: str) -> Tuple[str, ...]:
    """Which renders can be the task's input image, one training sample each (none: text to image)."""
    return {"t2i": (), "condition": CONDITION_INPUTS, "pose": ("pose_rgb",)}.get(task, ("rgb",))


def task_answer_key(task: str) -> str:
    """Which render is the answer image (or "text")."""
    return {"t2i": "rgb", "depth": "depth", "normals": "normals",
            "segmentation": "segmentation", "detect": "detect", "describe": "text",
            "condition": "rgb", "edit": "edit", "pose": "pose"}[task]


def seg_class_map(seg: np.ndarray) -> np.ndarray:
    """Palette image → class index map (nearest palette colour), classes in SEG_PALETTE order."""
    pal = np.array(list(SEG_PALETTE.values()), dtype=np.int32)
    d = ((seg[..., None, :].astype(np.int32) - pal[None, None]) ** 2).sum(-1)
    return np.argmin(d, axis=-1)


# Segmentation answers are read like the bundles' manifests say (``min_region_pixels`` in
# ``lumina_export.bundle.SYNTHETIC_OUTPUTS``): one-class regions smaller than a quarter of a
# 16-pixel token take the class around them, since VQ blends at class borders read as slivers
# of a third class.
SEG_MIN_REGION = 64


def answer_class_map(seg: np.ndarray, min_pixels: int = SEG_MIN_REGION) -> np.ndarray:
    """A segmentation answer → class index map, as the Java ``SegmentationReader`` reads it:
    nearest palette colour, then every 4-connected one-class region smaller than
    ``min_pixels`` gets the class most of its outside neighbours carry (ties: the lower
    class), regions visited in scan order of their first pixel."""
    lab = seg_class_map(seg)
    out = lab.copy()
    comps, regions = {}, []
    for c in np.unique(lab):
        comps[int(c)] = label_components(lab == c)  # labelled by their first pixel's flat index
        ids, counts = np.unique(comps[int(c)][comps[int(c)] >= 0], return_counts=True)
        regions += [(int(i), int(c)) for i, n in zip(ids, counts) if n < min_pixels]
    for first, c in sorted(regions):
        m = comps[c] == first
        # each (region pixel, outside neighbour) pair is one vote for the neighbour's class
        votes = np.zeros(len(SEG_PALETTE), dtype=np.int64)
        for axis, step in ((0, 1), (0, -1), (1, 1), (1, -1)):
            touch = np.roll(m, step, axis)
            edge = [slice(None), slice(None)]
            edge[axis] = 0 if step == 1 else -1
            touch[tuple(edge)] = False  # no wrap-around
            votes += np.bincount(out[touch & (out != c)], minlength=len(votes))
        if votes.any():
            out[m] = int(np.argmax(votes))
    return out


def visible_mask(scene: Scene, o: Obj, erode: int = 2) -> np.ndarray:
    """Pixels where ``o`` is the nearest object, shrunk by ``erode`` pixels (edges blur)."""
    xs, ys = _grid(scene)
    mask, _, _ = object_geometry(o, xs, ys)
    for p in scene.objects[scene.objects.index(o) + 1:]:
        mask &= ~object_geometry(p, xs, ys)[0]
    for _ in range(erode):
        m = mask.copy()
        m[1:] &= mask[:-1]
        m[:-1] &= mask[1:]
        m[:, 1:] &= mask[:, :-1]
        m[:, :-1] &= mask[:, 1:]
        mask = m
    return mask


def classify_colour(rgb_mean: np.ndarray) -> str:
    """Nearest :data:`COLOURS` name by chromaticity (shading scales the brightness only);
    white by low saturation."""
    names = list(COLOURS)
    pal = np.array([COLOURS[n] for n in names], float)
    c = np.asarray(rgb_mean, float) / max(float(np.sum(rgb_mean)), 1.0)
    p = pal / pal.sum(1, keepdims=True)
    return names[int(np.argmin(((p - c) ** 2).sum(1)))]


def object_colour(rgb: np.ndarray, scene: Scene, o: Obj, min_pixels: int = 12) -> Optional[str]:
    """Colour name of object ``o`` as painted in ``rgb`` (median over its visible pixels), or
    None when too little of it is visible."""
    mask = visible_mask(scene, o)
    if mask.sum() < min_pixels:
        mask = visible_mask(scene, o, erode=0)
        if mask.sum() < min_pixels:
            return None
    return classify_colour(np.median(rgb[mask].reshape(-1, 3).astype(float), axis=0))


def _rank(a: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged."""
    a = np.asarray(a).ravel()
    vals, inv, counts = np.unique(a, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    avg = ends - (counts - 1) / 2.0
    return avg[inv]


def spearman(pred: np.ndarray, truth: np.ndarray) -> float:
    """Spearman rank correlation of two maps (ties averaged); 0 when one is constant."""
    rp, rt = _rank(pred), _rank(truth)
    rp, rt = rp - rp.mean(), rt - rt.mean()
    den = math.sqrt(float((rp * rp).sum() * (rt * rt).sum()))
    return float((rp * rt).sum() / den) if den > 0 else 0.0


def normals_from_rgb(img: np.ndarray) -> np.ndarray:
    n = img.astype(np.float64) / 255.0 * 2 - 1
    return n / np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-6)


def normals_mean_angle(pred: np.ndarray, truth: np.ndarray, mask=None) -> float:
    """Mean angle in degrees between the normals encoded in two RGB maps (over ``mask``)."""
    cos = np.clip((normals_from_rgb(pred) * normals_from_rgb(truth)).sum(-1), -1, 1)
    ang = np.degrees(np.arccos(cos))
    return float(ang[mask].mean() if mask is not None else ang.mean())


def label_components(mask: np.ndarray) -> np.ndarray:
    """4-connected component labels (-1 outside the mask) by min-label propagation."""
    H, W = mask.shape
    big = H * W
    lab = np.where(mask, np.arange(big).reshape(H, W), big)
    while True:
        n = lab.copy()
        n[1:] = np.minimum(n[1:], lab[:-1])
        n[:-1] = np.minimum(n[:-1], lab[1:])
        n[:, 1:] = np.minimum(n[:, 1:], lab[:, :-1])
        n[:, :-1] = np.minimum(n[:, :-1], lab[:, 1:])
        n = np.where(mask, n, big)
        if np.array_equal(n, lab):
            break
        lab = n
    return np.where(mask, lab, -1)


def largest_component(mask: np.ndarray) -> np.ndarray:
    lab = label_components(mask)
    if not mask.any():
        return mask.copy()
    ids, counts = np.unique(lab[lab >= 0], return_counts=True)
    return lab == ids[int(np.argmax(counts))]


def box_from_outline(img: np.ndarray) -> Optional[Tuple[int, int, int, int]]:
    """The box (x0, y0, x1, y1) drawn in magenta, read as the Java BoxReader reads it: pixels
    within RGB distance 80 of BOX_RGB, pieces at most 2 * BOX_WIDTH apart joined (generated
    outlines come with gaps); the bounding box of the piece group with the most such pixels, or
    None."""
    m = np.sqrt(((img.astype(np.float64) - BOX_RGB) ** 2).sum(-1)) <= 80
    if m.sum() < max(8, 4 * BOX_WIDTH):
        return None
    joined = _grow(m, BOX_WIDTH)
    lab = label_components(joined)
    ids, counts = np.unique(lab[m], return_counts=True)
    ys, xs = np.nonzero(m & (lab == ids[int(np.argmax(counts))]))
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def _grow(m: np.ndarray, r: int) -> np.ndarray:
    """``m`` grown by ``r`` pixels in x and y (a square of side 2r + 1), as the Java reader does."""
    h, w = m.shape
    padded = np.pad(m, r)
    across = np.zeros((h + 2 * r, w), dtype=bool)
    for d in range(2 * r + 1):
        across |= padded[:, d:d + w]
    out = np.zeros_like(m)
    for d in range(2 * r + 1):
        out |= across[d:d + h]
    return out


def box_iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]) + 1)
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
    inter = ix * iy
    area = lambda r: (r[2] - r[0] + 1) * (r[3] - r[1] + 1)  # noqa: E731
    return float(inter / max(area(a) + area(b) - inter, 1))


def _fill_holes(m: np.ndarray) -> np.ndarray:
    """Pixels not reachable from the border through ~m are inside: m plus its holes."""
    pad = np.pad(~m, 1, constant_values=True)
    lab = label_components(pad)  # the component holding the corner is the outside
    return ~(lab == lab[0, 0])[1:-1, 1:-1]


# The shape classifier reads a region the way the Java scorer's ShapeFeatures does (the same
# rules and thresholds, so the training-time figures and `lumina score` agree): a ring by its
# hole, or, when a round trip broke its band open, by an empty centre inside a hull it leaves
# uncovered; square / triangle / disc by the outline's distance from the centroid in SECTORS
# directions, projected on the ideal square's and apex-up triangle's.
RING_HOLE_SHARE = 0.08
RING_HULL_DEFICIT = 0.15
RING_CENTRE_COVER = 0.5
MIN_RESEMBLANCE = 0.35
SECTORS = 36


def classify_shape(m: np.ndarray) -> str:
    """disc / square / triangle / ring of one object's mask (see the rules above)."""
    ys, xs = np.nonzero(m)
    inside = m[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    filled = _fill_holes(inside)
    hull = _hull_area(inside)
    iy, ix = np.nonzero(inside)
    cy, cx = iy.mean(), ix.mean()
    hole_share = (filled.sum() - inside.sum()) / filled.sum()
    hull_deficit = 1 - inside.sum() / hull
    centre_cover = _cover_within(inside, cx, cy, 0.3 * np.sqrt(hull / np.pi))
    if hole_share >= RING_HOLE_SHARE or (hull_deficit >= RING_HULL_DEFICIT
                                         and centre_cover < RING_CENTRE_COVER):
        return "ring"
    outline = _outline_profile(filled)
    square = _resemblance(outline, _IDEAL_PROFILES["square"])
    triangle = _resemblance(outline, _IDEAL_PROFILES["triangle"])
    if max(square, triangle) < MIN_RESEMBLANCE:
        return "disc"
    return "square" if square >= triangle else "triangle"


def _outline_profile(m: np.ndarray) -> np.ndarray:
    """Per direction seen from the centroid (SECTORS of them), the farthest outline pixel's
    distance relative to the mean over the directions, minus 1 (a disc's is 0 everywhere)."""
    ys, xs = np.nonzero(m)
    cy, cx = ys.mean(), xs.mean()
    pad = np.pad(m, 1)
    interior = pad[:-2, 1:-1] & pad[2:, 1:-1] & pad[1:-1, :-2] & pad[1:-1, 2:]
    oy, ox = np.nonzero(m & ~interior)
    dx, dy = ox - cx, oy - cy
    sector = np.floor((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
    far = np.zeros(SECTORS)
    np.maximum.at(far, sector, np.hypot(dx, dy))
    for k in range(SECTORS):  # a small region leaves sectors empty: they take their neighbours'
        if far[k] == 0:
            far[k] = max(far[k - 1], far[(k + 1) % SECTORS])
    return far / far.mean() - 1


def _resemblance(outline: np.ndarray, ideal: np.ndarray) -> float:
    """The projection of ``outline`` on ``ideal``, in units of the ideal."""
    return float(outline @ ideal / (ideal @ ideal))


def _ideal_mask(shape: str) -> np.ndarray:
    """The ideal square / apex-up triangle as the scenes draw them (radius 30, 100 x 100 grid)."""
    c, r = 50.0, 30.0
    py, px = np.mgrid[0:100, 0:100] + 0.5
    if shape == "square":
        return (np.abs(px - c) <= 0.82 * r) & (np.abs(py - c) <= 0.82 * r)
    tips = [(c + r * np.cos(a), c + r * np.sin(a)) for a in np.radians([-90, 30, 150])]
    sides = [(px - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (py - b[1])
             for a, b in zip(tips, tips[1:] + tips[:1])]
    return ~(np.any([s < 0 for s in sides], axis=0) & np.any([s > 0 for s in sides], axis=0))


_IDEAL_PROFILES = {s: _outline_profile(_ideal_mask(s)) for s in ("square", "triangle")}


def _hull_area(m: np.ndarray) -> float:
    """Area of the convex hull of the set pixels' squares (each row's outermost pixel corners;
    Andrew's monotone chain)."""
    pts = []
    for y in range(m.shape[0]):
        xs = np.nonzero(m[y])[0]
        if len(xs):
            pts += [(int(xs[0]), y), (int(xs[0]), y + 1), (int(xs[-1]) + 1, y), (int(xs[-1]) + 1, y + 1)]
    pts.sort()
    cross = lambda o, a, b: (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])  # noqa: E731

    def chain(points):
        out = []
        for p in points:
            while len(out) >= 2 and cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out[:-1]

    hull = chain(pts) + chain(pts[::-1])
    twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(hull, hull[1:] + hull[:1]))
    return abs(twice) / 2


def _cover_within(m: np.ndarray, x: float, y: float, r: float) -> float:
    """The share of the pixel indices within ``r`` of (x, y) that are set in ``m``."""
    py, px = np.mgrid[int(np.floor(y - r)):int(np.ceil(y + r)) + 1,
                      int(np.floor(x - r)):int(np.ceil(x + r)) + 1]
    near = (px - x) ** 2 + (py - y) ** 2 <= r * r
    inb = (px >= 0) & (py >= 0) & (px < m.shape[1]) & (py < m.shape[0])
    on = np.zeros_like(near)
    on[inb] = m[py[inb], px[inb]]
    return float((on & near).sum() / near.sum()) if near.any() else 1.0


def find_object(img: np.ndarray, colour: str, min_pixels: int = 40):
    """Mask of the largest region painted in ``colour`` (pixels away from the background colour
    of the image border whose chromaticity is nearest that colour), or None."""
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]]).astype(float)
    border = border[np.linalg.norm(border - np.median(border, axis=0), axis=-1) < 80][::3]
    f = img.astype(float)
    # background = near any (non-object) border colour: stripes and checkers have two colours
    d = np.linalg.norm(f[:, :, None, :] - border[None, None], axis=-1).min(-1)
    fg = d > 40
    names = list(COLOURS)
    pal = np.array([COLOURS[n] for n in names], float)
    p = pal / pal.sum(1, keepdims=True)
    c = f / np.maximum(f.sum(-1, keepdims=True), 1.0)
    lab = np.argmin(((c[..., None, :] - p[None, None]) ** 2).sum(-1), axis=-1)
    m = fg & (lab == names.index(colour))
    if m.sum() < min_pixels:
        return None
    comp = largest_component(m)
    return comp if comp.sum() >= min_pixels else None


def t2i_attributes(img: np.ndarray, scene: Scene) -> Tuple[bool, bool]:
    """(colour ok, colour and shape ok) of the nearest (first named) object of the caption in a
    generated image: a region of its colour exists, and that region's shape is its shape."""
    o = scene.objects[-1]
    m = find_object(img, o.colour)
    if m is None:
        return False, False
    return True, classify_shape(m) == o.shape


def miou(pred: np.ndarray, truth: np.ndarray, n_classes: int = 5) -> float:
    """Mean IoU over the classes present in either map (class index maps)."""
    ious = []
    for c in range(n_classes):
        p, t = pred == c, truth == c
        union = np.logical_or(p, t).sum()
        if union:
            ious.append(np.logical_and(p, t).sum() / union)
    return float(np.mean(ious)) if ious else 1.0


# ---------------------------------------------------------------------------------------------
# Held-out set
# ---------------------------------------------------------------------------------------------

HELDOUT_SEED_BASE = 10_000_000  # training scenes use seeds below this


def write_heldout(out_dir, count: int = 36, seed_base: int = HELDOUT_SEED_BASE) -> List[dict]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    templates = load_templates()
    index = []
    for i in range(count):
        seed = seed_base + i
        scene = sample_scene(seed, size=SCENE_SIZES[i % len(SCENE_SIZES)])
        imgs = images(scene, ("edit", "pose"))
        stem = f"scene{i:03d}"
        for k, arr in imgs.items():
            Image.fromarray(arr).save(out / f"{stem}_{k}.png", optimize=True)
        truth = scene.to_json()
        truth["prompts"] = {t: task_prompt(t, scene, templates) for t in TASK_IDS}
        truth["describe_answer"] = describe_answer(scene)
        truth["condition_input"] = CONDITION_INPUTS[i % len(CONDITION_INPUTS)]
        truth["edit_instruction"], edited = edit_of(scene)
        truth["edit_colour"] = edited.objects[-1].colour
        figure = pose_of(scene)
        truth["pose"] = {"height": figure.height, "colour": figure.colour,
                         "keypoints": {n: list(figure.keypoints[n]) for n in KEYPOINTS}}
        truth["files"] = {k: f"{stem}_{k}.png" for k in imgs}
        with open(out / f"{stem}.json", "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=1)
        index.append({"stem": stem, "seed": seed, "width": scene.width, "height": scene.height})
    with open(out / "index.json", "w", encoding="utf-8") as f:
        json.dump({"seed_base": seed_base, "count": count, "scenes": index,
                   "generator": "model-runtime/training/synthetic.py write_heldout"}, f, indent=1)
    return index


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="write the held-out scene set")
    ap.add_argument("--out", default=str(REPO / "model-runtime/models/synthetic/heldout"))
    ap.add_argument("--count", type=int, default=36)
    ap.add_argument("--seed-base", type=int, default=HELDOUT_SEED_BASE,
                    help="seed of the first scene; another base (e.g. 20000000) gives a validation "
                         "set for choosing settings without looking at the held-out scenes")
    a = ap.parse_args()
    print(len(write_heldout(a.out, a.count, a.seed_base)), "scenes written to", a.out)
