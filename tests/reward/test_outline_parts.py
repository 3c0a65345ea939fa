"""The substance gate reads parts from the figure's outline: a pale, soft-edged watercolour fish passes, a lone
pale wash does not (core/reward/outline.py).

Rendered for real at the training size. The corpus's watercolour fish is a pale disc and triangle whose soft
edges never step EDGE_DELTA_E between neighbours, so its edge complexity reads like a lone disc's and the gate
closed on it (total ~0 on offline-default); the lone washes are tests/reward/known_holes guards and pale27
attacks, among them a brown disc whose faded side leaves a bay that reads as a part with little ink in it.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.reward import Rollout, load_rubric
from core.reward.imagestats import ImageStats, image_stats
from core.sketch import check
from core.train.corpus import Spec, sketch_code

SIZE = 128
HOLES = Path(__file__).parent / "known_holes"
LONE = ("pale-disc-with-eye.js", "pale-brown-disc.js", "pale27/a1-faint-disc.js", "pale27/a8-faded-brown-disc.js")


def _gate(renderer, code: str, prompt: str) -> tuple[float, ImageStats]:
    result = renderer.render(code, seed=0, size=SIZE, timeout=90, use_cache=False)
    if result.error is not None and result.error.kind == "browser":  # a starved Chromium: once more
        result = renderer.render(code, seed=0, size=SIZE, timeout=90, use_cache=False)
    assert result.ok, result.error
    score = asyncio.run(load_rubric("offline-default").score([Rollout(prompt, code, code, result, check(code))]))[0]
    return score.gates["substance"], image_stats(result.png)


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_a_pale_watercolour_fish_passes_and_lone_pale_washes_do_not(renderer):
    for colour, place in (("brown", "in the centre"), ("blue", "on the right")):
        spec = Spec("fish", colour, "watercolour", place)
        gate, stats = _gate(renderer, sketch_code(spec, seed=1), spec.prompt)
        assert stats.complexity < 1.4, stats  # the edges alone see a lone disc here: the outline must decide
        assert gate >= 0.9, (spec.prompt, gate, stats.parts)
        assert any(p.ink >= 0.5 and p.share >= 0.1 for p in stats.parts), stats.parts  # the tail
    for name in LONE:
        text = (HOLES / name).read_text()
        prompt = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("// prompt:"))
        gate, stats = _gate(renderer, text, prompt)
        assert gate <= 0.2, (name, gate, stats.parts)
