"""Regenerates the sample images (made by the project; CC0). Run: /usr/bin/python3 make_samples.py"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def shapes(width, height, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = 120 + 40 * np.sin(xx / 23.0) * np.cos(yy / 31.0) + rng.normal(0, 6, (height, width))
    background = np.stack([base * 0.8, base * 0.9, base], axis=-1).clip(0, 255).astype(np.uint8)
    image = Image.fromarray(background, "RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.08, height * 0.15, width * 0.38, height * 0.55], fill=(220, 40, 60))
    draw.rectangle([width * 0.55, height * 0.5, width * 0.85, height * 0.9], fill=(50, 170, 80))
    draw.polygon([(width * 0.5, height * 0.08), (width * 0.68, height * 0.42), (width * 0.32, height * 0.42)],
                 fill=(30, 110, 210))
    return image


def cells(size, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    field = np.full((size, size), 20.0)
    for _ in range(14):
        cy, cx = rng.uniform(20, size - 20, 2)
        radius = rng.uniform(8, 20)
        field += 180 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * radius ** 2))
    field += rng.normal(0, 5, field.shape)
    return Image.fromarray(field.clip(0, 255).astype(np.uint8), "L")


def synthetic_scene(seed):
    """A scene like those the bundled trained model learnt from (model-runtime/training/synthetic.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "model-runtime" / "training"))
    import synthetic
    return Image.fromarray(synthetic.render(synthetic.sample_scene(seed, size=(160, 96)))["rgb"], "RGB")


if __name__ == "__main__":
    synthetic_scene(2).save("scene-160x96.png")
    shapes(512, 384, 1).save("shapes-512x384.png")
    cells(256, 2).save("cells-256.png")
