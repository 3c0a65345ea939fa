"""The learned reward model on a real SQLite pool: split by image, training beats the baseline, artefacts."""
from __future__ import annotations

import json

import pytest

from core.hashing import code_hash
from core.reward.learned import artefacts
from core.reward.learned.dataset import load_rated
from core.reward.learned.model import RewardModel, evaluate
from core.reward.learned.pairs import cross_tier_pairs, split_items
from core.reward.learned.train import TrainConfig, train_reward_model
from tests.synthetic_pool import fill_pool, love_png, nope_png

FAST = TrainConfig(steps=120, max_seconds=40)


def test_split_keeps_every_image_and_group_on_one_side(pool):
    fill_pool(pool, per_tier=10)
    items = load_rated(pool).items
    train, held = split_items(items)
    assert {it.hash for it in train}.isdisjoint({it.hash for it in held})
    assert {it.group for it in train}.isdisjoint({it.group for it in held})
    assert len(train) + len(held) == len(items) == 30
    assert {it.tier for it in held} == {"love", "okay", "nope"}  # every tier is held out a little
    for i, j in cross_tier_pairs(held):
        assert held[i].tier != held[j].tier


def test_renders_of_one_sketch_stay_together(pool):
    ids = fill_pool(pool, per_tier=6)
    code = pool.image(ids["love"][0]).code
    for i in range(3):  # the same code rendered three more times (another seed each)
        pool.rate(pool.add_image(love_png(50 + i), prompt="seed", code=code).image.id, "love")
    train, held = split_items(load_rated(pool).items)
    sides = {("train" if it in train else "held") for it in train + held if it.group == "code:" + code_hash(code)}
    assert len(sides) == 1


@pytest.mark.slow
def test_training_beats_more_colourful_wins_and_saves_a_versioned_artefact(pool, brushwork_home):
    fill_pool(pool, per_tier=12)
    report = train_reward_model(pool, FAST)
    out = report.to_dict()
    assert out["heldout_pairs"] > 20 and out["pairs"] == out["train_pairs"] + out["heldout_pairs"]
    assert out["heldout_pair_accuracy"] >= 0.8
    assert out["heldout_pair_accuracy"] > out["baseline_accuracy"]
    meta = json.loads((report.path / "meta.json").read_text())
    for key in ("features_version", "pool_hash", "heldout_pair_accuracy", "trained_at", "baseline_accuracy"):
        assert meta[key] not in (None, "")
    assert artefacts.current_dir() == report.path
    assert report.path.parent == brushwork_home / "reward_model"

    model = RewardModel.current()
    good, bad = love_png(77), nope_png(78)
    assert model.prob_beats(good, bad) > 0.5 > model.prob_beats(bad, good)
    assert abs(model.prob_beats(good, bad) + model.prob_beats(bad, good) - 1) < 1e-6
    assert 0.0 <= model.absolute(bad) < model.absolute(good) <= 1.0
    ev = evaluate(pool, model)
    assert ev["images"] == report.meta.heldout_images  # the pool did not change: eval sees the held-out images
    assert ev["heldout_pair_accuracy"] == pytest.approx(out["heldout_pair_accuracy"], abs=1e-3)


def test_a_model_for_other_features_refuses_to_load(pool, monkeypatch):
    fill_pool(pool, per_tier=5)
    report = train_reward_model(pool, TrainConfig(steps=5, use_cnn=False))
    monkeypatch.setattr(artefacts, "FEATURES_VERSION", "f999")
    with pytest.raises(artefacts.NoRewardModel, match="Retrain"):
        artefacts.load_state(report.path)


def test_one_tier_only_is_a_clear_error(pool):
    from core.reward.types import RewardError

    for i in range(4):
        pool.rate(pool.add_image(love_png(i)).image.id, "love")
    with pytest.raises(RewardError, match="Rate some images"):
        train_reward_model(pool, FAST, save=False)
