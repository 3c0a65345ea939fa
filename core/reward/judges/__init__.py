"""Judges: pairwise (both orders) and absolute 0–10, over OpenAI-compatible, Gemini and local backends.

Backends register here; `core.reward.registry.register_judge` adds more (the learned model).
"""
from __future__ import annotations

from core.reward.judges.base import (
    JudgeSettings,
    PermanentJudgeError,
    TransientJudgeError,
    VisionJudge,
    build_judges,
)
from core.reward.judges.gemini_judge import GeminiJudge
from core.reward.judges.openai_judge import OpenAIJudge
from core.reward.registry import _JUDGES, get_judge_factory, register_judge


def _openai(settings: JudgeSettings) -> VisionJudge:
    return OpenAIJudge(settings)


def _gemini(settings: JudgeSettings) -> VisionJudge:
    return GeminiJudge(settings)


def _image_stats(settings: JudgeSettings) -> VisionJudge:
    from core.reward.judges.local import ImageStatsJudge  # deferred: heavy (scipy)

    return ImageStatsJudge(settings)


def _local(settings: JudgeSettings) -> VisionJudge:
    # The learned reward model when it is registered, else the image-statistics judge.
    if "learned" in _JUDGES:
        return get_judge_factory("learned")(settings)
    return _image_stats(settings)


def _council(settings: JudgeSettings) -> VisionJudge:
    from core.reward.judges.local import CouncilJudge  # deferred: heavy (scipy)

    return CouncilJudge(settings)


register_judge("openai", _openai)
register_judge("gemini", _gemini)
register_judge("image-stats", _image_stats)
register_judge("local", _local)
register_judge("council", _council)

__all__ = ["JudgeSettings", "PermanentJudgeError", "TransientJudgeError", "VisionJudge",
           "build_judges"]
