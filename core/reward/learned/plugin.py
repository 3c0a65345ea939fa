"""The learned model inside the rubric: the `preference` component and the `learned` pairwise judge.

Both score the painting for the rollout's prompt, as HPSv3 does. Both answer None (with a note
saying how to train a model) when no model has been trained, never 0; a model from before the
prompt (rm-1) still scores, image alone, with a note saying to retrain.
"""
from __future__ import annotations

import asyncio

from core.reward.context import ComponentContext
from core.reward.judges.base import JudgeSettings, VisionJudge
from core.reward.learned.artefacts import NoRewardModel
from core.reward.registry import register_component, register_judge
from core.reward.types import Rollout, Verdict

TIE_BAND = 0.05  # |P − 0.5| below this is a tie: the model cannot tell them apart


def _model():  # noqa: ANN202 (RewardModel)
    from core.reward.learned.model import RewardModel  # deferred: heavy (scipy)

    return RewardModel.current()


@register_component("preference", judged=True,
                    help="learned reward model: P(the painting, for its prompt, beats the love tier), trained on your ratings")
async def preference(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """P(beats the love tier's typical painting), for the rollout's prompt, under the learned model; None without one."""
    png = rollout.png
    if png is None:
        return None
    try:
        model = await asyncio.to_thread(_model)
    except NoRewardModel as e:
        ctx.note(f"{ctx.name}: {e}")
        return None
    if model.prompt_note:
        ctx.note(f"{ctx.name}: {model.prompt_note}")
    return await asyncio.to_thread(model.absolute, png, rollout.prompt)


class LearnedJudge(VisionJudge):
    """Pairwise judge from the learned model: P(candidate beats reference); symmetric, so no order bias."""

    def __init__(self, settings: JudgeSettings):
        super().__init__(settings)
        self.fallback: VisionJudge | None = None
        try:
            self.model = _model()
        except NoRewardModel as e:
            self.model = None
            if settings.backend == "local":  # "local" promises a judge that always works offline
                from core.reward.judges.local import ImageStatsJudge  # deferred: heavy (scipy)

                self.fallback = ImageStatsJudge(settings)
            else:
                self.unavailable = str(e)

    async def judge(self, candidate_png: bytes, reference_png: bytes, prompt: str) -> Verdict | None:
        if self.fallback is not None:
            self.fallback.cache, self.fallback.accounting = self.cache, self.accounting
            return await self.fallback.judge(candidate_png, reference_png, prompt)
        if self.model is None:
            return None
        p = await asyncio.to_thread(self.model.prob_beats, candidate_png, reference_png, prompt)
        self._account(calls=1)
        winner = "tie" if abs(p - 0.5) < TIE_BAND else "candidate" if p > 0.5 else "reference"
        return Verdict(winner, round(abs(p - 0.5) * 2, 4), f"learned model: P(candidate beats reference) = {p:.2f}")

    async def rate(self, png: bytes, prompt: str, criterion: str) -> float | None:
        if self.fallback is not None:
            return await self.fallback.rate(png, prompt, criterion)
        if self.model is None:
            return None
        self._account(calls=1)
        return await asyncio.to_thread(self.model.absolute, png, prompt)


register_judge("learned", LearnedJudge)
