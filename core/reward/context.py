"""What a component sees besides the rollout: its params, the run's judges, pool, cache and accounting."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.pool.pool import RatingPool
    from core.reward.judges.base import VisionJudge
    from core.reward.judges.cache import JudgementCache


@dataclass
class JudgeUsage:
    """Calls, tokens and estimated cost of one judge model in one run."""

    calls: int = 0
    retries: int = 0
    failures: int = 0
    malformed: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


class Accounting:
    """Per-run accounting of judge calls, keyed by judge model; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_model: dict[str, JudgeUsage] = {}

    def add(self, model: str, **counts: float) -> None:
        """Add counts (calls=1, tokens_in=…, cost_usd=…) to `model`'s usage."""
        with self._lock:
            usage = self.by_model.setdefault(model, JudgeUsage())
            for key, value in counts.items():
                setattr(usage, key, getattr(usage, key) + value)

    def totals(self) -> JudgeUsage:
        """The sum over every model."""
        with self._lock:
            out = JudgeUsage()
            for usage in self.by_model.values():
                for key in out.__dataclass_fields__:
                    setattr(out, key, getattr(out, key) + getattr(usage, key))
            return out

    def to_dict(self) -> dict[str, Any]:
        """{"calls", "tokens_in", "tokens_out", "cost_usd", ..., "by_model": {model: {...}}}."""
        total = self.totals()
        out: dict[str, Any] = dict(vars(total))
        out["cost_usd"] = round(out["cost_usd"], 6)
        with self._lock:
            out["by_model"] = {m: {**vars(u), "cost_usd": round(u.cost_usd, 6)} for m, u in self.by_model.items()}
        return out


@dataclass
class RunContext:
    """Shared by every component of one `Rubric.score` call."""

    judges: dict[str, VisionJudge] = field(default_factory=dict)
    refs_pool: RatingPool | None = None
    cache: JudgementCache | None = None
    accounting: Accounting = field(default_factory=Accounting)
    seed: int = 0
    shared: dict[Any, Any] = field(default_factory=dict)  # run-wide memo (references per prompt)


@dataclass
class RolloutState:
    """Per rollout: notes for the Score, references used, and a memo shared by its components."""

    notes: list[str] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)


@dataclass
class ComponentContext:
    """The `ctx` a component function receives."""

    name: str
    params: dict[str, Any]
    run: RunContext
    state: RolloutState

    def note(self, message: str) -> None:
        """Add a line to the Score's notes (why something is None, what filled a slot)."""
        if message not in self.state.notes:
            self.state.notes.append(message)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute once per rollout (image statistics shared by several components)."""
        if key not in self.state.memo:
            self.state.memo[key] = compute()
        return self.state.memo[key]

    def judge(self, name: str | None = None) -> VisionJudge | None:
        """The judge named in params (`judge = "..."`) or `name`; None when the preset has none."""
        return self.run.judges.get(name or self.params.get("judge", "default"))

    @property
    def refs_pool(self) -> RatingPool | None:
        return self.run.refs_pool
