"""Collapse monitor: diversity measures and the 'fell together' rule."""
from __future__ import annotations

import io

from PIL import Image

from core.train.monitor import CollapseMonitor, group_diversity


def _png(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buf, "PNG")
    return buf.getvalue()


def test_group_diversity_is_within_prompt():
    prompts = ["a", "a", "b", "b"]
    same = group_diversity(prompts, ["x=1", "x=1", "y=2", "y=2"], [_png("red"), _png("red"), _png("blue"), _png("blue")])
    assert same == {"diversity/image": 0.0, "diversity/code": 0.0}
    # Different prompts differing from each other is not diversity: only pairs within a group count.
    varied = group_diversity(prompts, ["x=1", "q(9)", "y=2", "y=2"], [_png("red"), _png("green"), _png("blue"), None])
    assert varied["diversity/image"] > 50 and 0 < varied["diversity/code"] <= 0.5


def test_warns_when_signals_fall_together():
    m = CollapseMonitor(window=3)
    healthy = {"diversity/image": 20.0, "diversity/code": 0.4, "completions/mean_length": 150.0, "entropy": 1.2}
    assert all(m.update(s, healthy) is None for s in range(1, 4))
    length_only = {**healthy, "completions/mean_length": 20.0}
    assert all(m.update(s, length_only) is None for s in range(4, 7)), "one signal falling is not collapse"
    fallen = {"diversity/image": 3.0, "diversity/code": 0.05, "completions/mean_length": 20.0, "entropy": 0.2}
    warnings = [m.update(s, fallen) for s in range(7, 13)]
    assert any(warnings)
    first = next(w for w in warnings if w)
    assert "fell together" in first["message"] and len(first["data"]["fallen"]) >= 3


def test_identical_rollouts_warn_at_once():
    m = CollapseMonitor(window=5)
    w = m.update(1, {"diversity/image": None, "diversity/code": 0.0, "entropy": 0.01})
    assert w and "identical" in w["message"]


def test_kl_and_zero_spread_rising_with_entropy_falling_is_a_collapse():
    m = CollapseMonitor(window=3)
    start = {"diversity/image": 20.0, "diversity/code": 0.4, "completions/mean_length": 150.0, "entropy": 1.2,
             "kl": 0.001, "frac_reward_zero_std": 0.1}
    assert all(m.update(s, start) is None for s in range(1, 4))
    kl_only = {**start, "kl": 0.4}
    assert all(m.update(s, kl_only) is None for s in range(4, 7)), "drift alone is not a collapse"
    drifting = {**start, "kl": 0.4, "frac_reward_zero_std": 0.8, "entropy": 0.1}
    warnings = [m.update(s, drifting) for s in range(7, 13)]
    w = next(w for w in warnings if w)
    assert w["data"]["risen"] == ["kl", "frac_reward_zero_std"] and w["data"]["fallen"] == ["entropy"]
    assert "entropy fell and kl, frac_reward_zero_std rose together" in w["message"]
    # a tiny KL that triples is no drift: below kl_floor
    m2 = CollapseMonitor(window=3)
    for s in range(1, 4):
        m2.update(s, {**start, "kl": 0.001})
    assert all(m2.update(s, {**start, "kl": 0.01, "frac_reward_zero_std": 0.8, "entropy": 0.1}) is None
               for s in range(4, 10))


def test_history_carries_over_a_resume():
    import json

    def signals(s: int) -> dict:
        return {"diversity/image": 20.0 / s, "diversity/code": 0.4 / s, "completions/mean_length": 150.0 / s,
                "entropy": 1.2, "kl": 0.01 * s, "frac_reward_zero_std": 0.05 * s}

    whole = CollapseMonitor()
    a = [whole.update(s, signals(s)) for s in range(1, 16)]
    first = CollapseMonitor()
    b = [first.update(s, signals(s)) for s in range(1, 9)]
    resumed = CollapseMonitor()
    resumed.load_state(json.loads(json.dumps(first.to_state())))
    b += [resumed.update(s, signals(s)) for s in range(9, 16)]
    assert a == b and any(a)
    fresh = CollapseMonitor()
    assert [fresh.update(s, signals(s)) for s in range(9, 16)] != a[8:], "a fresh monitor would forget the baseline"
