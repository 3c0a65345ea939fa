"""The reward's data: a rollout to score, a judge's verdict, the score it gets, and typed errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from core.render.types import RenderResult
    from core.sketch.check import CheckReport

Winner = Literal["candidate", "reference", "tie"]
WINNERS: tuple[str, ...] = ("candidate", "reference", "tie")


class RewardError(Exception):
    """A rubric or judge cannot be used as configured; the message says what to change."""


class RubricError(RewardError):
    """A preset is unknown or malformed (bad TOML, unknown component, negative weight)."""


@dataclass
class Rollout:
    """One sample to score: the prompt, the model's raw output, the extracted code, its render and check."""

    prompt: str
    completion: str
    code: str
    render: RenderResult | None = None
    check: CheckReport | None = None
    seed: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def png(self) -> bytes | None:
        """The rendered PNG, or None when the render failed or was not made."""
        if self.render is None or not self.render.ok:
            return None
        return self.render.png


@dataclass(frozen=True)
class Verdict:
    """A pairwise judgement of a candidate against a reference (after both orders)."""

    winner: Winner
    confidence: float
    reasoning: str
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"winner": self.winner, "confidence": self.confidence, "reasoning": self.reasoning,
                "cached": self.cached}


@dataclass
class Score:
    """A rollout's reward from `Rubric.combine`: total (None when not measured), components, gates, what is
    missing, what its group could not share (`dropped`), and `fault`: the machine's render failure, if any."""

    total: float | None
    components: dict[str, float | None]
    gates: dict[str, float | None]
    missing: list[str]
    notes: list[str] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)
    cost: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    fault: str | None = None

    @property
    def complete(self) -> bool:
        """Every weighted component was measured for this rollout."""
        return all(v is not None for v in self.components.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON: total, components, gates, missing, dropped, fault, notes, refs, cost."""
        rnd = _round
        return {
            "total": rnd(self.total),
            "components": {k: rnd(v) for k, v in self.components.items()},
            "gates": {k: rnd(v) for k, v in self.gates.items()},
            "missing": list(self.missing),
            "dropped": list(self.dropped),
            "fault": self.fault,
            "notes": list(self.notes),
            "refs": list(self.refs),
            "cost": dict(self.cost),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
