"""The subject component's preflight (core/reward/preflight.py): without a trained recogniser here, every
rollout's subject is None and a run would silently train on the rest of the rubric, so it refuses first."""
from __future__ import annotations

from typing import Any

from core.reward.registry import register_preflight
from core.reward.subject.model import recogniser_problem

HOW_TO_TRAIN = ("(a few minutes, mostly rendering), or press Train recogniser in the Train pane's box of what a run "
                "needs")


def recogniser_ready(params: dict[str, Any], ctx: Any = None) -> str | None:
    """None when a recogniser loads here, else what is wrong and how to train one."""
    problem = recogniser_problem()
    if problem is None:
        return None
    return f"{problem} {HOW_TO_TRAIN}."  # its message ends in the command that trains one


register_preflight("subject", recogniser_ready)
