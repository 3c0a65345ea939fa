"""The rubric as TRL reward functions: scored once per batch, gated, None on a renderer outage."""
from __future__ import annotations

import math

import pytest

from core.reward import load_rubric
from core.train.corpus import Spec, sketch_code
from core.train.rewards import LENGTH_GATE, BatchScorer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GOOD = Spec("tree", "green", "watercolour", "in the centre", "large")
BATCH_PROMPTS = [GOOD.prompt] * 2 + ["draw a red apple in the centre in ink"] * 2
BATCH = [sketch_code(GOOD, 0), sketch_code(GOOD, 1), "function setup() { createCanvas(512, 512, WEBGL); }", ""]


class CountingRenderer:
    """The real async Renderer, counting how often it is asked to render."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    async def render(self, *a, **kw):
        self.calls += 1
        return await self.inner.render(*a, **kw)

    async def close(self):
        await self.inner.close()


def test_one_render_per_completion_and_gated_components():
    from core.render import Renderer

    rubric = load_rubric("offline-default")
    renderer = CountingRenderer(Renderer(pool_size=2))
    scorer = BatchScorer(rubric, render_size=128, render_timeout=90, renderer=renderer, min_completion_tokens=5)
    try:
        funcs, weights = scorer.reward_functions()
        names = [f.__name__ for f in funcs]
        assert names == rubric.components + rubric.gates + [LENGTH_GATE]
        assert math.isclose(sum(weights), 1.0) and weights[len(rubric.components):] == [0.0] * (len(rubric.gates) + 1)
        ids = [[0] * 100, [0] * 100, [0] * 10, [0] * 2]
        out = {f.__name__: f(prompts=BATCH_PROMPTS, completions=BATCH, completion_ids=ids) for f in funcs}
        assert renderer.calls == 3, "the empty completion is not rendered; the rest render once for all functions"
        errors = [r.render and r.render.error for r in scorer.last.rollouts]
        assert out["structure"][:2] == [1.0, 1.0] and out["structure"][2] == 0.0, errors
        assert out[LENGTH_GATE] == [1.0, 1.0, 1.0, 0.0]
        for name in rubric.components:  # a closed gate zeroes every weighted component
            assert out[name][2] in (0.0, None) and out[name][3] in (0.0, None)
        total = [sum(w * (out[n][i] or 0.0) for n, w in zip(names, weights, strict=True)) for i in range(4)]
        batch = scorer.last
        for i in (0, 1):
            assert math.isclose(total[i], batch.scores[i].total, rel_tol=1e-6, abs_tol=1e-9)
        assert total[0] > 0 and batch.diversity["diversity/code"] is not None
    finally:
        scorer.close()


def test_renderer_outage_gives_none_not_zero(monkeypatch, tmp_path):
    from core.render import Renderer

    monkeypatch.setenv("BRUSHWORK_CHROMIUM", str(tmp_path / "no-such-chromium"))
    scorer = BatchScorer(load_rubric("offline-default"), render_size=128, renderer=Renderer(pool_size=1))
    try:
        funcs, _ = scorer.reward_functions()
        by_name = {f.__name__: f for f in funcs}
        colour = by_name["colour_adherence"](prompts=BATCH_PROMPTS[:2], completions=BATCH[:2])
        assert colour == [None, None]
        assert any("renderer unavailable" in o for o in scorer.last.outages)
    finally:
        scorer.close()
