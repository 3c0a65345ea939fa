"""A rollout is judged as soon as its own render lands, while slower renders of its batch still run; the
totals are still made once, per group, by the one combine rule."""
from __future__ import annotations

import time

import pytest

from core.reward import register_component, rubric_from_dict
from core.train.rewards import BatchScorer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FAST = """
function setup() {
  createCanvas(64, 64, WEBGL);
  background(240);
  brush.set("HB", "#000000", 1);
  brush.line(-20, 0, 20, 0);
}
"""
SLOW = FAST.replace("background(240);", "background(200);\n  const t = performance.now();\n"
                                        "  while (performance.now() - t < 3000) {}")
JUDGED_AT: dict[str, float] = {}


@register_component("test_judged_arrival", judged=True, help="test: when the judge saw the rollout; 1 or 0.5")
async def judged_arrival(rollout, ctx) -> float | None:
    JUDGED_AT[rollout.code] = time.perf_counter()
    return 1.0 if rollout.code == FAST else 0.5


def test_a_rollout_is_judged_while_the_rest_of_its_batch_still_renders():
    from core.render import Renderer

    rubric = rubric_from_dict({"name": "arrival", "components": {
        "arrival": {"fn": "test_judged_arrival", "weight": 1.0}}})
    scorer = BatchScorer(rubric, render_size=64, render_timeout=60, renderer=Renderer(pool_size=1),
                         num_generations=2)
    try:
        JUDGED_AT.clear()
        t0 = time.perf_counter()
        batch = scorer.score(["draw a line"] * 2, [SLOW, FAST], None, step=1)
        done = time.perf_counter() - t0
    finally:
        scorer.close()
    assert all(r.render is not None and r.render.ok for r in batch.rollouts), [r.render for r in batch.rollouts]
    # the fast sketch's judge call came seconds before the slow sketch had even finished rendering
    assert JUDGED_AT[SLOW] - JUDGED_AT[FAST] > 1.5, (JUDGED_AT, done)
    assert batch.totals == rubric.combine([{"arrival": 0.5}, {"arrival": 1.0}], groups=[0, 0])
    assert batch.render_ms >= 2500 and batch.reward_ms < batch.render_ms
    assert scorer.renderer.pool_size >= 2, "the renderer keeps no page per rollout of a batch"
