"""Rating, re-rating history, undo, counts and reference sampling on a real SQLite store."""
from __future__ import annotations

import random

import pytest
from pool_helpers import add

from core.pool import PoolError, RatingPool
from core.store import Store
from tests.db_helpers import sql_rows


def test_rate_rerate_keeps_history_and_current_tier(pool):
    a = add(pool, "peach", prompt="a peach flower")
    assert pool.tier(a.id) is None
    pool.rate(a.id, "okay")
    pool.rate(a.id, "love")
    assert pool.tier(a.id) == "love"
    hist = pool.history(a.id)
    assert [(e.action, e.tier, e.previous_tier) for e in hist] == [("rate", "okay", None), ("rate", "love", "okay")]
    row = sql_rows(pool.store, "SELECT * FROM ratings WHERE image_id = ?", (a.id,))[0]
    assert (row["tier"], row["prompt"], row["source"], row["colour_group"]) == ("love", "a peach flower", "hand", "peach")


def test_rate_rejects_bad_tier_and_unknown_image(pool):
    a = add(pool, "blue")
    with pytest.raises(PoolError):
        pool.rate(a.id, "meh")
    with pytest.raises(PoolError):
        pool.rate(9999, "love")
    assert pool.history() == []


def test_undo_restores_previous_tier_then_unrated(pool):
    a, b = add(pool, "peach"), add(pool, "blue")
    pool.rate(a.id, "love")
    pool.rate(b.id, "nope")
    pool.rate(a.id, "okay")
    undone = pool.undo_last()
    assert [(e.image_id, e.tier) for e in undone] == [(a.id, "love")]
    assert pool.tier(a.id) == "love"
    undone = pool.undo_last(2)
    assert [(e.image_id, e.tier) for e in undone] == [(b.id, None), (a.id, None)]
    assert pool.counts()["rated"] == 0
    assert pool.undo_last() == []  # nothing left
    # history is append-only: the undone ratings are still there, marked undone, plus the undo events
    hist = pool.history(a.id)
    assert [(e.action, e.undone) for e in hist] == [("rate", True), ("rate", True), ("undo", False), ("undo", False)]


def test_undo_then_rate_again(pool):
    a = add(pool, "pink")
    pool.rate(a.id, "love")
    pool.undo_last()
    pool.rate(a.id, "nope")
    assert pool.tier(a.id) == "nope"
    pool.undo_last()
    assert pool.tier(a.id) is None


def test_undo_survives_reopen(pool, store):
    a = add(pool, "red")
    pool.rate(a.id, "okay")
    pool.rate(a.id, "nope")
    store.close()
    again = RatingPool(Store())
    again.undo_last()
    assert again.tier(a.id) == "okay"


def test_counts_groups_filters(pool):
    ims = [add(pool, g, seed=i) for i, g in enumerate(["peach", "peach", "blue", "green"])]
    pool.rate(ims[0].id, "love")
    pool.rate(ims[1].id, "okay")
    pool.rate(ims[2].id, "love")
    assert pool.counts() == {"images": 4, "love": 2, "okay": 1, "nope": 0, "rated": 3}
    groups = pool.group_counts()
    assert groups["peach"] == {"images": 2, "unrated": 0, "love": 1, "okay": 1, "nope": 0}
    assert groups["green"]["unrated"] == 1
    assert pool.image_ids(unrated=True) == [ims[3].id]
    assert pool.image_ids(tier="love", colour_group="blue") == [ims[2].id]


def test_thin_colours(pool):
    peach = [add(pool, "peach", seed=i) for i in range(3)]
    blue = [add(pool, "blue", seed=i) for i in range(4)]
    for im in peach + blue:
        pool.rate(im.id, "love")
    thin = {t.group: t for t in pool.thin_colours(min_love=4)}
    assert "blue" not in thin
    assert thin["peach"].love == 3
    assert str(thin["peach"]) == "peach: 3 love references, below 4"
    assert thin["yellow"].love == 0
    assert "neutral" not in thin


def test_sample_refs_colour_matched_deterministic_distinct(pool):
    peach = [add(pool, "peach", seed=i) for i in range(4)]
    blue = [add(pool, "blue", seed=i) for i in range(5)]
    for im in peach + blue:
        pool.rate(im.id, "love")
    okay = add(pool, "peach", seed=99)
    pool.rate(okay.id, "okay")
    peach_ids = {im.id for im in peach}
    for seed in range(20):
        refs = pool.sample_refs("draw a coral hibiscus", k=2, rng=seed)
        assert len({r.id for r in refs}) == 2
        assert {r.id for r in refs} <= peach_ids  # coral → peach; okay tier excluded by default
    assert [r.id for r in pool.sample_refs("a salmon rose", rng=7)] == [r.id for r in pool.sample_refs("a salmon rose", rng=7)]
    assert [r.id for r in pool.sample_refs("x", rng=random.Random(3))] == [r.id for r in pool.sample_refs("x", rng=3)]
    seen = {r.id for s in range(30) for r in pool.sample_refs("a peach", k=2, tiers=("love", "okay"), rng=s)}
    assert okay.id in seen
    # a colour the pool lacks falls back to any love image; k larger than the pool returns all, no repeats
    refs = pool.sample_refs("a yellow tulip", k=3, rng=1)
    assert len({r.id for r in refs}) == 3
    assert len(pool.sample_refs("a purple iris", k=50, rng=1)) == 9
    unmatched = {r.colour_group for s in range(30) for r in pool.sample_refs("a peach", k=2, match_colour=False, rng=s)}
    assert "blue" in unmatched
