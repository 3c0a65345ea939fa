"""Synthetic paintings of a known colour on paper: a test fixture (the rating, reward and offline-signal
benchmarks borrow it, as benchmarks borrow tests/judge_server.py), not art."""
from __future__ import annotations

import functools
import io
import random

from PIL import Image, ImageDraw, ImageFilter

PAPER = "#f4efe4"
LEAF = "#4f8a4a"


@functools.lru_cache(maxsize=4)
def _grain(size: int) -> Image.Image:
    return Image.effect_noise((size, size), 6).convert("RGB")


def synthetic_painting(colour: str, *, size: int = 256, seed: int = 0, paper: str = PAPER,
                       leaves: bool = True, fmt: str = "PNG") -> bytes:
    """A flower-ish blob cluster of `colour` (plus a few leaves) on a paper ground, encoded as PNG/JPEG."""
    rng = random.Random(seed)
    small = max(64, size // 4)  # draw small and scale up: soft edges for free, and fast at 1024 px
    img = Image.new("RGB", (small, small), paper)
    draw = ImageDraw.Draw(img)
    s = small / 256
    cx, cy = small * rng.uniform(0.4, 0.6), small * rng.uniform(0.4, 0.6)
    if leaves:
        for _ in range(3):
            x, y = cx + rng.uniform(-70, 70) * s, cy + rng.uniform(30, 90) * s
            draw.ellipse((x - 28 * s, y - 10 * s, x + 28 * s, y + 10 * s), fill=LEAF)
    for _ in range(7):
        x, y, r = cx + rng.uniform(-40, 40) * s, cy + rng.uniform(-40, 40) * s, rng.uniform(22, 40) * s
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    # soft edges like watercolour, and a little paper grain so files are not trivially small
    img = img.filter(ImageFilter.GaussianBlur(radius=1.0)).resize((size, size), Image.Resampling.BICUBIC)
    img = Image.blend(img, _grain(size), 0.04)
    buf = io.BytesIO()
    img.save(buf, format=fmt, **({"compress_level": 1} if fmt == "PNG" else {"quality": 92}))
    return buf.getvalue()
