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
