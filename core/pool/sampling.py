"""Reference sampling: k distinct rated images per rollout, colour-matched to the prompt's colour.

The reward engine calls this thousands of times per run, so it selects in SQL (core/store/pool.py):
it counts the candidates, draws k positions, fetches the ids at those positions and loads only those
k images, all through one covering index.
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING

from core.pool.colour import prompt_colour
from core.store.pool import rated_count, rated_id_at

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
    if not tiers or k <= 0:
        return []
    group = prompt_colour(prompt) if match_colour else None
    n = rated_count(pool.store, tiers, group) if group else 0
    if n < k:
        group, n = None, rated_count(pool.store, tiers, None)
    # The same draw as rng.sample(ids_in_id_order, k), without loading the ids.
    positions = make_rng(rng).sample(range(n), min(k, n))
    chosen = [rated_id_at(pool.store, tiers, group, p) for p in positions]
    by_id = {im.id: im for im in pool.images_by_id(chosen)}
    return [by_id[i] for i in chosen]
