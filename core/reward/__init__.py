"""The reward engine: rollouts, rubric presets, offline components, pairwise and absolute judges, diagnostics.

Public API (other rooms code against this):
    Rollout, Score, Verdict, load_rubric, Rubric, register_component, register_judge,
    VisionJudge, JudgeSettings, Accounting, JudgementCache
"""
from __future__ import annotations

from core.reward.context import Accounting, ComponentContext
from core.reward.judges.base import JudgeSettings, VisionJudge
from core.reward.judges.cache import JudgementCache
from core.reward.registry import component_names, judge_backends, register_component, register_judge
from core.reward.rubric import Rubric, load_rubric, preset_names, rubric_from_dict
from core.reward.types import RewardError, Rollout, RubricError, Score, Verdict

__all__ = [
    "Accounting", "ComponentContext", "JudgeSettings", "JudgementCache", "RewardError", "Rollout", "Rubric",
    "RubricError", "Score", "Verdict", "VisionJudge", "component_names", "judge_backends", "load_rubric",
    "preset_names", "register_component", "register_judge", "rubric_from_dict",
]
