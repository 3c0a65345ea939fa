"""Helpers for reward tests: rollouts from synthetic paintings, a pool of love-tier references."""
from __future__ import annotations

from pathlib import Path

from core.render.types import RenderResult
from core.reward import Rollout
from tests.synthetic_paintings import synthetic_painting

CHEATS = Path(__file__).resolve().parent / "cheats"
REPO = Path(__file__).resolve().parents[2]
STARTERS = REPO / "resources" / "starters"
GOOD_CODE = (STARTERS / "01-peach-hibiscus.js").read_text()


# What the harness measured for the hibiscus starter: the drawing primitives that drew (render contract).
DRAWN = {"endShape": 13, "line": 29, "circle": 11}


def png_rollout(png: bytes | None, prompt: str = "a peach hibiscus in watercolour", code: str = GOOD_CODE,
                error_kind: str | None = None, brush_calls: dict[str, int] | None = DRAWN) -> Rollout:
    """A Rollout whose render is the given PNG (or a failed render of `error_kind`) with measured brush counts."""
    from core.render.types import RenderError

    error = RenderError(error_kind, "test") if error_kind else None
    render = RenderResult(ok=error is None and png is not None, png=png, error=error, ms=1.0, sketch_ms=1.0,
                          brush_calls=brush_calls)
    return Rollout(prompt=prompt, completion=code, code=code, render=render)


def painting(colour: str = "#ffa64d", seed: int = 0, size: int = 256) -> bytes:
    """A synthetic flower-ish painting (blobs and leaves on paper)."""
    return synthetic_painting(colour, size=size, seed=seed)


def love_pool(store, n: int = 4, colour: str = "#ffa64d", prompt: str = "a peach flower"):
    """A RatingPool holding n love-tier paintings of one colour."""
    from core.pool import RatingPool

    pool = RatingPool(store)
    for i in range(n):
        image = pool.add_image(painting(colour, seed=100 + i, size=128), prompt=prompt).image
        pool.rate(image.id, "love")
    return pool
