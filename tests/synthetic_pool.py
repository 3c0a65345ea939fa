"""Synthetic rated paintings whose tiers follow what the demo pool teaches: a test fixture (the
rubric benchmark borrows it, as benchmarks borrow tests/judge_server.py). No browser needed.

love: several soft blobs and leaves of varied colours; okay: the same washed toward grey-brown;
nope: a flat fill, or one hard disc. The code stored with each is a real demo sketch of that tier.
"""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageEnhance

from core.pool import RatingPool
from core.pool.demo import DEMO_PREFIX
from core.pool.demo_sketches import clipart_flower, flat_fill, starter_sketches
from tests.synthetic_paintings import synthetic_painting

COLOURS = ["#d7263d", "#ff8c42", "#f5d300", "#4caf50", "#1e5aa8", "#8e44ad", "#ff69b4", "#8b5a2b"]


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def love_png(i: int, size: int = 128) -> bytes:
    return synthetic_painting(COLOURS[i % 8], size=size, seed=i)


def okay_png(i: int, size: int = 128) -> bytes:
    img = Image.open(io.BytesIO(synthetic_painting(COLOURS[i % 8], size=size, seed=100 + i, leaves=False)))
    return _png(ImageEnhance.Color(img.convert("RGB")).enhance(0.35))


def nope_png(i: int, size: int = 128) -> bytes:
    rng = random.Random(i)
    colour = COLOURS[rng.randrange(8)]
    img = Image.new("RGB", (size, size), "#ffffff" if i % 2 else colour)
    if i % 2:
        r = rng.randint(size // 4, size // 2 - 4)
        ImageDraw.Draw(img).ellipse((size / 2 - r, size / 2 - r, size / 2 + r, size / 2 + r), fill=colour,
                                    outline="#000000", width=3)
    else:
        ImageDraw.Draw(img).rectangle((2, 2, 6 + i % 5, 6), fill="#222222")
    img.putpixel((i % size, (i // size) % size), (i % 251, 7, 7))  # every one a distinct image
    return _png(img)


def fill_pool(pool: RatingPool, per_tier: int = 12, demo: bool = False, size: int = 128) -> dict[str, list[int]]:
    """Add and rate `per_tier` images per tier; returns their ids by tier."""
    starters = [s for s in starter_sketches(1) if s.tier == "love"]
    rng = random.Random(0)
    makers = {"love": love_png, "okay": okay_png, "nope": nope_png}
    ids: dict[str, list[int]] = {t: [] for t in makers}
    prefix = DEMO_PREFIX if demo else ""
    for tier, make in makers.items():
        for i in range(per_tier):
            if tier == "nope":
                code = (flat_fill if i % 2 == 0 else clipart_flower)(COLOURS[i % 8], rng)
            else:
                code = starters[i % len(starters)].code + f"\n// variation {tier} {i}\n"
            # One prompt per study number, shared by its three tiers: a prompt must not name its tier, or a
            # model that reads prompts would learn the word instead of the painting.
            image = pool.add_image(make(i, size), prompt=f"{prefix}draw a flower, study {i}",
                                   source="supplement", code=code).image
            pool.rate(image.id, tier)
            ids[tier].append(image.id)
    return ids
