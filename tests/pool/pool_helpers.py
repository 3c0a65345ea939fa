"""Helpers for pool tests: known colours and synthetic paintings of them."""
from __future__ import annotations

from core.pool import RatingPool
from tests.synthetic_paintings import synthetic_painting

COLOURS = {"peach": "#ffa64d", "blue": "#3b6fc4", "pink": "#ec7fb0", "red": "#c8283a", "yellow": "#f2c72e",
           "purple": "#7d4fb0", "green": "#3f9a3a", "brown": "#8a5a3b"}


def add(pool: RatingPool, group: str, seed: int = 0, prompt: str | None = None, size: int = 96):
    """Add one synthetic painting of a known group; returns its PoolImage."""
    return pool.add_image(synthetic_painting(COLOURS[group], size=size, seed=seed), prompt=prompt).image
