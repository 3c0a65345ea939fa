"""Held-out evaluation feeds the renderer as fast as its pages take work, no faster."""
from __future__ import annotations

import asyncio

from core.reward import Rollout, load_rubric
from core.train.config import RunConfig
from core.train.heldout_eval import renders_in_flight, score_heldout


class CountingRenderer:
    """Stands in for core.render.Renderer: records how many renders it holds at once."""

    def __init__(self):
        self.now = self.most = 0

    async def render(self, code, seed, size, timeout):
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.001)
        self.now -= 1
        return None


def test_heldout_renders_are_fed_to_the_pages_not_queued_all_at_once():
    # 100 held-out renders queued at once on 2 pages waited past the renderer's wall bound (`overloaded`)
    cfg = RunConfig(render_pool=2)
    renderer = CountingRenderer()
    rollouts = [Rollout(prompt=f"p{i % 10}", completion="x", code="brush.circle(0, 0, 5);", seed=i) for i in range(40)]
    asyncio.run(score_heldout(rollouts, load_rubric("offline-default"), renderer, cfg, "sft", 0))
    assert renderer.most == renders_in_flight(cfg) == 4
