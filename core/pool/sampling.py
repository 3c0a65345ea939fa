"""Reference sampling: k distinct rated images per rollout, colour-matched to the prompt's colour."""
from __future__ import annotations

import random
from typing import TYPE_CHECKING

from core.pool.colour import prompt_colour

if TYPE_CHECKING:
    from core.pool.pool import PoolImage, RatingPool


def make_rng(rng: random.Random | int | None) -> random.Random:
    """A Random from a seed, an existing Random (used as is), or fresh entropy."""
    return rng if isinstance(rng, random.Random) else random.Random(rng)


def sample_refs(
    pool: RatingPool,
    prompt: str | None,
    k: int = 2,
    tiers: tuple[str, ...] = ("love",),
    match_colour: bool = True,
    rng: random.Random | int | None = None,
) -> list[PoolImage]:
    """k distinct images of the given tiers; from the prompt's colour group when it holds at least k.

    Deterministic for an int seed (candidates are ordered by id before drawing). Returns fewer than
    k only when the whole pool has fewer than k images of those tiers.
    """
    candidates = [im for tier in tiers for im in pool.images(tier=tier)]
    candidates.sort(key=lambda im: im.id)
    group = prompt_colour(prompt) if match_colour else None
    if group is not None:
        same = [im for im in candidates if im.colour_group == group]
        if len(same) >= k:
            candidates = same
    return make_rng(rng).sample(candidates, min(k, len(candidates)))
