"""Judges that need no network: a deterministic image-statistics judge, and a council of other judges.

The learned reward model (core/reward/learned) registers a `learned` backend; `backend = "local"`
uses it when present and this image-statistics judge otherwise.
"""
from __future__ import annotations

import asyncio

from core.render.types import RenderResult
from core.reward import offline
from core.reward.context import ComponentContext, RolloutState, RunContext
from core.reward.imagestats import image_stats
from core.reward.judges.base import JudgeSettings, VisionJudge
from core.reward.types import Rollout, Verdict

TIE_MARGIN = 0.03


def painting_quality(png: bytes, prompt: str) -> float:
    """Mean of the offline image components (colour, coverage, detail, palette, composition) in [0, 1]."""
    rollout = Rollout(prompt=prompt, completion="", code="",
                      render=RenderResult(ok=True, png=png, error=None, ms=0.0, sketch_ms=None))
    ctx = ComponentContext("image-stats", {}, RunContext(), RolloutState())
    ctx.state.memo["image_stats"] = image_stats(png)
    values = [fn(rollout, ctx) for fn in (offline.colour_adherence, offline.coverage, offline.detail,
                                          offline.palette, offline.composition)]
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 0.0


class ImageStatsJudge(VisionJudge):
    """Prefers the image whose offline image statistics are higher; a tie within TIE_MARGIN. No network."""

    async def judge_order(self, first: bytes, second: bytes, prompt: str):
        a, b = await asyncio.gather(asyncio.to_thread(painting_quality, first, prompt),
                                    asyncio.to_thread(painting_quality, second, prompt))
        self._account(calls=1)
        if abs(a - b) < TIE_MARGIN:
            return "tie", 0.0, f"image statistics {a:.2f} vs {b:.2f}"
        return ("first" if a > b else "second"), min(1.0, abs(a - b) * 5), f"image statistics {a:.2f} vs {b:.2f}"

    async def rate_uncached(self, png: bytes, prompt: str, criterion: str) -> float | None:
        self._account(calls=1)
        return await asyncio.to_thread(painting_quality, png, prompt)


class CouncilJudge(VisionJudge):
    """Averages its members' absolute ratings; pairwise, the members vote (ties when they split)."""

    def __init__(self, settings: JudgeSettings):
        super().__init__(settings)
        self.members: list[VisionJudge] = []

    def bind_members(self, judges: dict[str, VisionJudge]) -> None:
        """Resolve member names against the rubric's other judges."""
        self.members = [judges[m] for m in self.settings.members if m in judges and judges[m] is not self]
        if not self.members:
            self.unavailable = f"judge {self.settings.name}: the council has no members among the preset's judges"

    async def rate(self, png: bytes, prompt: str, criterion: str) -> float | None:
        values = await asyncio.gather(*(m.rate(png, prompt, criterion) for m in self.members))
        present = [v for v in values if v is not None]
        return sum(present) / len(present) if present else None

    async def judge(self, candidate_png: bytes, reference_png: bytes, prompt: str) -> Verdict | None:
        verdicts = [v for v in await asyncio.gather(*(m.judge(candidate_png, reference_png, prompt) for m in self.members))
                    if v is not None]
        if not verdicts:
            return None
        net = sum({"candidate": 1, "reference": -1}.get(v.winner, 0) for v in verdicts)
        winner = "candidate" if net > 0 else "reference" if net < 0 else "tie"
        return Verdict(winner, abs(net) / len(verdicts), f"council {net:+d} of {len(verdicts)}")
