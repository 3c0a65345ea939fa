"""The rubric as TRL's one reward function: scored once per batch, gated, None on a renderer outage."""
from __future__ import annotations

import pytest

from core.reward import load_rubric
from core.train.corpus import Spec, sketch_code
from core.train.rewards import LENGTH_GATE, REWARD_NAME, BatchScorer, training_rubric

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


def test_one_function_one_total_per_completion_with_the_length_floor_as_a_gate():
    from core.render import Renderer

    rubric = training_rubric(load_rubric("offline-default"), min_completion_tokens=5)
    renderer = CountingRenderer(Renderer(pool_size=2))
    scorer = BatchScorer(rubric, render_size=128, render_timeout=90, renderer=renderer, num_generations=2)
    try:
        reward = scorer.reward_function()
        assert reward.__name__ == REWARD_NAME
        logged: dict[str, float] = {}
        ids = [[0] * 100, [0] * 3, [0] * 10, [0] * 2]
        totals = reward(prompts=BATCH_PROMPTS, completions=BATCH, completion_ids=ids,
                        log_metric=lambda k, v: logged.__setitem__(k, v))
        assert renderer.calls == 3, "the empty completion is not rendered; the rest render once"
        scores = scorer.last.scores
        assert totals == [s.total for s in scores]
        assert totals[0] > 0, scores[0].to_dict()
        assert scores[1].gates[LENGTH_GATE] == 0.0 and totals[1] == 0.0  # 3 tokens: under the floor
        assert scores[2].gates["structure"] == 0.0 and totals[2] == 0.0   # a canvas and nothing else
        assert totals[3] == 0.0                                          # no code at all: the sketch's doing
        assert logged[f"rewards/{LENGTH_GATE}/mean"] == pytest.approx(0.5)
        assert logged["rewards/colour_adherence/mean"] is not None and logged["rubric/measured"] == 1.0
        assert scorer.last.diversity["diversity/code"] is not None
    finally:
        scorer.close()


def test_a_gate_that_is_also_weighted_gives_one_value_per_completion():
    """The crash `The reward function 'structure' returned 16 rewards, but 8 were expected`: seed-v2's
    structure is a gate and a weighted component, and was handed to TRL as two functions of one name."""
    from core.render import Renderer

    scorer = BatchScorer(load_rubric("seed-v2-four-signals"), render_size=64, num_generations=4,
                         renderer=Renderer(pool_size=1))
    try:
        totals = scorer.reward_function()(prompts=["a red apple"] * 8, completions=[""] * 8)
        assert totals == [0.0] * 8  # eight empty completions: eight zeros, nothing rendered
    finally:
        scorer.close()


def test_renderer_outage_gives_none_not_zero(monkeypatch, tmp_path):
    from core.render import Renderer

    monkeypatch.setenv("BRUSHWORK_CHROMIUM", str(tmp_path / "no-such-chromium"))
    scorer = BatchScorer(load_rubric("offline-default"), render_size=128, renderer=Renderer(pool_size=1))
    try:
        totals = scorer.reward_function()(prompts=BATCH_PROMPTS[:2], completions=BATCH[:2])
        assert totals == [None, None]
        assert [s.fault for s in scorer.last.scores] == ["browser", "browser"]
        assert any("renderer unavailable for 2 of 2" in o for o in scorer.last.outages)
    finally:
        scorer.close()
