"""Known sketches and pixel checks shared by the render and hostile tests."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

# A solid blue square in the middle (exact pixels), a pencil line near the bottom, white elsewhere.
NORMAL = """
function setup() {
  createCanvas(512, 512, WEBGL);
  background(255);
  noStroke();
  fill(0, 0, 255);
  rect(-40, -40, 80, 80);
  brush.set("rotring", "#000000", 3);
  brush.line(-200, 180, 200, 180);
}
"""


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGBA")


def assert_normal(png: bytes | None) -> None:
    """The NORMAL sketch rendered correctly: blue centre, white corner, a dark line at y≈436."""
    assert png is not None
    im = image(png)
    assert im.size == (512, 512)
    assert im.getpixel((256, 256))[:3] == (0, 0, 255)
    assert im.getpixel((10, 10))[:3] == (255, 255, 255)
    line = [im.getpixel((x, y)) for x in range(100, 412, 4) for y in range(430, 442)]
    assert sum(1 for p in line if sum(p[:3]) < 300) > 20, "the brush line is missing"


def pixel_diff(a: bytes, b: bytes, threshold: int = 24) -> int:
    """How many pixels differ by more than `threshold` in any channel."""
    ia, ib = image(a), image(b)
    assert ia.size == ib.size
    # numpy, not a per-pixel Python loop: a 512² comparison took ~0.5 s that way
    da = np.asarray(ia, dtype=np.int16) - np.asarray(ib, dtype=np.int16)
    return int((np.abs(da).max(axis=2) > threshold).sum())
