"""sample_refs selects in SQL: the same draw as sampling the id-ordered candidates, through the index."""
from __future__ import annotations

import random
import time

from core.pool import ALL_GROUPS, RatingPool
from core.pool.colour import prompt_colour
from tests.db_helpers import sql_rows


def _fill(pool: RatingPool, n: int) -> None:
    rng = random.Random(1)
    with pool.store.transaction() as conn:
        conn.executemany(
            "INSERT INTO pool_images (hash, path, width, height, prompt, source, colour_group, created_at)"
            " VALUES (?, ?, 8, 8, NULL, 'hand', ?, 0)",
            [(f"h{i}", f"pool/{i}.png", rng.choice(ALL_GROUPS)) for i in range(n)])
        conn.executemany("INSERT INTO rating_events (image_id, action, tier, at) VALUES (?, 'rate', ?, ?)",
                         [(i, rng.choice(("love", "love", "okay", "nope")), time.time()) for i in range(1, n + 1)])


def _reference(pool: RatingPool, prompt: str, k: int, tiers: tuple[str, ...], seed: int) -> list[int]:
    """The definition: every candidate loaded, ordered by id, colour-matched when k of them exist."""
    candidates = sorted(im.id for t in tiers for im in pool.images(tier=t))
    group = prompt_colour(prompt)
    same = [i for i in candidates if pool.image(i).colour_group == group]
    return random.Random(seed).sample(same if len(same) >= k else candidates, min(k, len(candidates)))


def test_sql_draw_equals_the_definition(pool):
    _fill(pool, 300)
    for prompt, k, tiers in [("a peach rose", 2, ("love",)), ("blue sea", 3, ("love", "okay")),
                             ("no colour here", 2, ("nope",)), ("a green leaf", 400, ("love",))]:
        for seed in range(5):
            got = [im.id for im in pool.sample_refs(prompt, k=k, tiers=tiers, rng=seed)]
            assert got == _reference(pool, prompt, k, tiers, seed), (prompt, seed)


def test_sampling_uses_the_covering_index_and_loads_only_k_rows(pool):
    _fill(pool, 50)
    plan = sql_rows(pool.store, "EXPLAIN QUERY PLAN SELECT image_id FROM ratings WHERE tier IN (?) AND colour_group = ?"
                            " ORDER BY image_id LIMIT 1 OFFSET 3", ("love", "peach"))
    detail = " ".join(r["detail"] for r in plan)
    assert "COVERING INDEX idx_ratings_tier_group" in detail and "TEMP B-TREE" not in detail
    loaded = []
    real = pool.images_by_id
    pool.images_by_id = lambda ids: loaded.append(list(ids)) or real(ids)
    pool.sample_refs("a red poppy", k=2, rng=0)
    assert [len(ids) for ids in loaded] == [2]


def test_empty_and_degenerate_requests(pool):
    assert pool.sample_refs("a peach", k=2) == []
    _fill(pool, 5)
    assert pool.sample_refs("a peach", k=0) == []
    assert pool.sample_refs("a peach", k=2, tiers=()) == []
