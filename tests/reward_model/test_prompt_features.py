"""What the reward model reads of a prompt, and the split that keeps held-out prompts unseen."""
from __future__ import annotations

import numpy as np

from core.pool.colour import ALL_GROUPS
from core.pool.demo import DEMO_PREFIX
from core.reward.learned.dataset import load_rated, measure
from core.reward.learned.heldout import independent_pairs, pair_report
from core.reward.learned.pairs import RatedItem, split_items
from core.reward.learned.prompt_features import (
    CONTEXT_DIM,
    CROSS_NAMES,
    PROMPT_NAMES,
    context,
    prompt_colours,
    prompt_key,
    prompt_vector,
)
from tests.reward_model.prompt_pool import PALETTE, fill_prompt_pool
from tests.synthetic_paintings import synthetic_painting
from tests.synthetic_pool import fill_pool


def _named(vec: np.ndarray, prefix: str) -> dict[str, float]:
    return {n: float(v) for n, v in zip(PROMPT_NAMES, vec, strict=True) if n.startswith(prefix) and v}


def test_colour_words_medium_and_subject_become_a_vector():
    assert prompt_colours("draw a scarlet kite in watercolour") == {"red": 1.0}
    assert prompt_colours("draw a yellow kite against a blue sky") == {"yellow": 0.5, "blue": 0.5}
    assert prompt_colours("draw a fox in charcoal") == {}  # a medium here, not a grey painting
    assert prompt_colours("draw a fox") == {}
    v = prompt_vector("draw a crimson boat in ink")
    assert _named(v, "colour_") == {"colour_red": 1.0}
    assert _named(v, "medium_") == {"medium_ink": 1.0}
    assert _named(prompt_vector("draw a boat"), "colour_") == {"colour_none": 1.0}
    assert _named(prompt_vector("draw a boat"), "medium_") == {"medium_none": 1.0}
    # the subject words land in buckets: the same word in the same bucket, whatever else the prompt says
    boat, fish = _named(v, "subject_"), _named(prompt_vector("draw a crimson fish in ink"), "subject_")
    assert boat and fish and boat != fish
    assert _named(prompt_vector("paint a boat in pastel"), "subject_") == boat
    assert _named(prompt_vector("paint a boat in pastel"), "medium_") == {"medium_pastel": 1.0}
    # the demo label and case do not change what is read
    assert np.array_equal(prompt_vector(DEMO_PREFIX + "Draw a CRIMSON boat in ink"), v)
    assert prompt_key(DEMO_PREFIX + "Draw a boat, study 3!") == "draw a boat study 3"


def _crossing(prompt: str, shares: np.ndarray) -> dict[str, float]:
    import torch

    from core.reward.learned.prompt_head import crossing

    ctx = torch.from_numpy(context(prompt, shares))
    out = crossing(ctx[len(ALL_GROUPS):2 * len(ALL_GROUPS)], ctx[:len(ALL_GROUPS)])
    return dict(zip(CROSS_NAMES, out.tolist(), strict=True))


def test_the_crossing_measures_paint_in_the_prompts_colour():
    red = measure(synthetic_painting(PALETTE["red"][0], size=96, seed=1, leaves=False)).shares
    assert red[ALL_GROUPS.index("red")] > 0.6  # soft edges on pale paper read partly as peach and pink
    cross = _crossing("draw a scarlet kite", red)
    assert cross["prompt_colour_share"] > 0.6 and cross["other_colour_max_share"] < 0.2
    assert cross["prompt_colour_near_share"] > 0.9  # ... which are red's neighbours
    cross = _crossing("draw a cobalt kite", red)
    assert cross["prompt_colour_share"] < 0.05 and cross["other_colour_max_share"] > 0.6
    assert context("draw a kite", red).shape == (CONTEXT_DIM,)
    assert not any(_crossing("draw a kite", red).values())  # no colour named: nothing to cross


def test_held_out_prompts_were_never_trained_on(pool):
    painted = fill_prompt_pool(pool, n_prompts=24)
    # the ablation's premise: every hue is loved exactly as often as it is not
    assert all(painted[hue, "love"] == painted[hue, "nope"] > 0 for hue in PALETTE)
    items = load_rated(pool).items
    train, held = split_items(items)
    assert {it.prompt_key for it in train}.isdisjoint({it.prompt_key for it in held})
    assert 0.2 < len(held) / len(items) < 0.45
    assert {it.tier for it in held} == {"love", "nope"}


def test_a_pool_of_one_prompt_holds_out_by_image(pool):
    from core.reward.learned.train import split

    for i, tier in enumerate(["love", "okay", "nope"] * 4):
        png = synthetic_painting(PALETTE["red"][0], size=64, seed=500 + i)
        pool.rate(pool.add_image(png, prompt="draw a red flower").image.id, tier)
    train, held, kind = split(load_rated(pool).items, 0.3)
    assert kind == "image" and held and train
    fill_pool(pool, per_tier=6)  # more prompts: now prompts can be held out
    assert split(load_rated(pool).items, 0.3)[2] == "prompt"


def _item(i: int, tier: str, prompt: str) -> RatedItem:
    return RatedItem(f"h{i:02d}", tier, f"img:{i}", "", prompt, prompt_key(prompt))


def test_independent_pairs_use_each_image_once_and_prefer_one_prompt():
    items = [_item(0, "love", "a"), _item(1, "nope", "b"), _item(2, "nope", "a"), _item(3, "love", "b"),
             _item(4, "okay", "a"), _item(5, "love", "c"), _item(6, "love", "c"), _item(7, "nope", "")]
    pairs = independent_pairs(items)
    used = [i for p in pairs for i in p]
    assert len(used) == len(set(used))
    assert all(items[b].tier != items[w].tier for b, w in pairs)
    assert (0, 2) in pairs and (3, 1) in pairs  # within prompts a and b first
    assert pairs[2:] == [(5, 7), (6, 4)]  # then the leftovers, across prompts
    report = pair_report([1.0, 0.0, 0.0, 1.0, 0.5, 1.0, 1.0, 0.0], items)
    assert report["independent_accuracy"] == 1.0 and report["ci95"][1] == 1.0
    assert report["ci95"][0] < 0.5  # four independent wins are not yet evidence
    assert report["same_prompt_pairs"] == 4 and report["same_prompt_accuracy"] == 1.0
