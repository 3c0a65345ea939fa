"""Gates on what only the trainer knows about a rollout: how many tokens its completion took.

The trainer adds the length floor to the run's rubric (`Rubric.with_gate`), so a completion under the
floor scores 0 through `Rubric.combine` like any other closed gate, in training and held-out alike.
"""
from __future__ import annotations

from core.reward.context import ComponentContext
from core.reward.registry import register_component
from core.reward.types import Rollout

TOKENS_KEY = "completion_tokens"  # Rollout.meta key the trainer fills from the generated token ids


@register_component("completion_tokens_floor",
                    help="gate: 1 when the completion has at least min_tokens generated tokens (set by the trainer)")
def completion_tokens_floor(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """1 at or above `min_tokens`, 0 below, None when the caller did not say how many tokens were generated."""
    tokens = rollout.meta.get(TOKENS_KEY)
    if tokens is None:
        return None
    return float(int(tokens) >= int(ctx.params.get("min_tokens", 0)))
