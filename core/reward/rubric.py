"""A rubric: components, weights, gates and judge settings loaded from a preset, and the scorer.

Gates multiply, weighted components add, and the total is renormalised over the components that
could be measured; the ones that could not (None) are listed in `Score.missing`, never scored 0.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import math
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.paths import RESOURCES
from core.reward.context import Accounting, ComponentContext, RolloutState, RunContext
from core.reward.judges.base import JudgeSettings, build_judges
from core.reward.registry import component_info, component_preparer, get_component, has_component
from core.reward.types import Rollout, RubricError, Score

if TYPE_CHECKING:
    from core.pool.pool import RatingPool
    from core.reward.judges.cache import JudgementCache

PRESETS_DIR = RESOURCES / "presets"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComponentSpec:
    """One entry of a preset's [components] table."""

    name: str
    fn: str
    weight: float = 0.0
    gate: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    fallback: str | None = None


@dataclass
class Rubric:
    """A loaded preset; `await rubric.score(rollouts, refs_pool=pool)` gives one Score per rollout."""

    name: str
    specs: list[ComponentSpec]
    judge_settings: dict[str, JudgeSettings] = field(default_factory=dict)
    description: str = ""
    path: Path | None = None

    @property
    def components(self) -> list[str]:
        """Names of the weighted components, in preset order."""
        return [s.name for s in self.specs if s.weight > 0]

    @property
    def weights(self) -> dict[str, float]:
        """Nominal weight per weighted component."""
        return {s.name: s.weight for s in self.specs if s.weight > 0}

    @property
    def gates(self) -> list[str]:
        """Names of the gates (they multiply the total)."""
        return [s.name for s in self.specs if s.gate]

    def with_weights(self, weights: dict[str, float]) -> Rubric:
        """A copy with some weights replaced (unknown names raise RubricError)."""
        names = {s.name for s in self.specs}
        unknown = set(weights) - names
        if unknown:
            raise RubricError(f"no component {', '.join(sorted(unknown))} in rubric {self.name}; have {', '.join(sorted(names))}.")
        specs = [replace(s, weight=float(weights.get(s.name, s.weight))) for s in self.specs]
        return replace(self, specs=specs)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON and the Rubric pane (judge keys are never part of a preset)."""
        return {"name": self.name, "description": self.description, "weights": self.weights, "gates": self.gates,
                "components": [vars(s) for s in self.specs],
                "judges": {k: v.public_dict() for k, v in self.judge_settings.items()}}

    async def score(self, rollouts: Sequence[Rollout], refs_pool: RatingPool | None = None, *,
                    cache: JudgementCache | None = None, accounting: Accounting | None = None,
                    seed: int = 0) -> list[Score]:
        """Score rollouts concurrently (judge calls share each backend's concurrency limit)."""
        accounting = accounting or Accounting()
        judges = build_judges(self.judge_settings, cache=cache, accounting=accounting)
        run = RunContext(judges=judges, refs_pool=refs_pool, cache=cache, accounting=accounting, seed=seed)
        # The cheap components are CPU work (PNG decode, the checker): with every rollout's gate running
        # at once they all end together and no judge call starts before the last one. A few at a time,
        # in rollout order, lets the first rollouts' judge calls fly while the others are still checked.
        run.shared["cpu"] = asyncio.Semaphore(max(1, min(4, os.cpu_count() or 1)))
        prepared = self._prepare(rollouts, run)
        try:
            scores = await asyncio.gather(*(self._score_one(r, run) for r in rollouts))
        finally:
            await asyncio.gather(*prepared, *(j.aclose() for j in judges.values()), return_exceptions=True)
        cost = run.accounting.to_dict()
        for s in scores:
            s.cost = cost
        return list(scores)

    def _prepare(self, rollouts: Sequence[Rollout], run: RunContext) -> list[asyncio.Future]:
        """Start the judged components' preparations (references per prompt) so they overlap the gates."""
        tasks: list[asyncio.Future] = []
        first_per_prompt: dict[str, Rollout] = {}
        for r in rollouts:
            first_per_prompt.setdefault(r.prompt, r)
        for spec in self.specs:
            prepare = component_preparer(spec.fn)
            if prepare is None:
                continue
            for rollout in first_per_prompt.values():
                ctx = ComponentContext(name=spec.name, params=spec.params, run=run, state=RolloutState())
                tasks.append(asyncio.ensure_future(prepare(rollout, ctx)))
        return tasks

    async def _score_one(self, rollout: Rollout, run: RunContext) -> Score:
        state = RolloutState()
        values: dict[str, float | None] = {}
        cheap = [s for s in self.specs if not component_info(s.fn)["judged"]]
        judged = [s for s in self.specs if component_info(s.fn)["judged"]]
        async with run.shared["cpu"]:
            for spec in cheap:
                values[spec.name] = await self._evaluate(spec, rollout, run, state)
        closed = [s.name for s in self.specs if s.gate and values.get(s.name) == 0.0]
        skipped: list[str] = []
        if closed:  # no judge money on a sketch that already scores 0
            skipped = [s.name for s in judged]
            if skipped:
                state.notes.append(f"gate {', '.join(closed)} = 0: skipped {', '.join(skipped)}")
            values.update(dict.fromkeys(skipped))
        else:
            results = await asyncio.gather(*(self._evaluate(s, rollout, run, state) for s in judged))
            values.update(zip([s.name for s in judged], results, strict=True))
        return self._combine(values, skipped, state)

    async def _evaluate(self, spec: ComponentSpec, rollout: Rollout, run: RunContext,
                        state: RolloutState) -> float | None:
        value = await _call(spec.fn, spec.name, spec.params, rollout, run, state)
        if value is None and spec.fallback and not has_component(spec.fallback):
            state.notes.append(f"{spec.name}: no fallback {spec.fallback!r} registered (the learned model is not installed)")
        elif value is None and spec.fallback:
            value = await _call(spec.fallback, spec.name, spec.params, rollout, run, state)
            if value is not None:
                state.notes.append(f"{spec.name}: {spec.fn} unavailable, slot filled by {spec.fallback}")
        return value

    def _combine(self, values: dict[str, float | None], skipped: list[str], state: RolloutState) -> Score:
        gates = {s.name: values[s.name] for s in self.specs if s.gate}
        components = {s.name: values[s.name] for s in self.specs if s.weight > 0}
        missing = [n for n, v in values.items() if v is None and n not in skipped]
        present = [(s.weight, values[s.name]) for s in self.specs if s.weight > 0 and values[s.name] is not None]
        gate_product = math.prod(g for g in gates.values() if g is not None)
        if gate_product == 0.0:
            total: float | None = 0.0
        elif None in gates.values():  # an unmeasured gate could have been 0: no total rather than a guess
            total = None
        elif present:
            total = gate_product * sum(w * v for w, v in present) / sum(w for w, _ in present)
        else:
            total = None
        return Score(total=total, components=components, gates=gates, missing=missing,
                     notes=state.notes, refs=state.refs)


async def _call(fn_name: str, name: str, params: dict[str, Any], rollout: Rollout, run: RunContext,
                state: RolloutState) -> float | None:
    ctx = ComponentContext(name=name, params=params, run=run, state=state)
    fn = get_component(fn_name)
    try:
        if inspect.iscoroutinefunction(fn):
            value = await fn(rollout, ctx)
        else:  # image statistics are CPU work: off the loop, so judge calls keep flowing
            value = await asyncio.to_thread(fn, rollout, ctx)
            if inspect.isawaitable(value):
                value = await value
    except Exception as e:  # a broken measurement is "not measured", and said so, never a 0
        log.exception("component %s failed", name)
        ctx.note(f"{name}: not measured ({type(e).__name__}: {e})")
        return None
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        ctx.note(f"{name}: not measured (non-finite value)")
        return None
    return min(1.0, max(0.0, value))


def preset_names() -> list[str]:
    """Names of the bundled presets (resources/presets/*.toml)."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def load_rubric(preset: str | Path) -> Rubric:
    """A Rubric from a bundled preset name (`offline-default`) or a TOML file path."""
    path = Path(preset)
    if not path.suffix and not path.exists():
        path = PRESETS_DIR / f"{preset}.toml"
    if not path.exists():
        raise RubricError(f"no rubric preset {str(preset)!r}; bundled: {', '.join(preset_names())}. "
                          "Pass one of those or a path to a .toml file.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise RubricError(f"{path}: not valid TOML ({e}). Fix the file.") from e
    return rubric_from_dict(data, path=path)


def rubric_from_dict(data: dict[str, Any], path: Path | None = None) -> Rubric:
    """A Rubric from preset data (the parsed TOML); checks component names and weights."""
    where = path or "preset"
    table = data.get("components")
    if not isinstance(table, dict) or not table:
        raise RubricError(f"{where}: no [components.NAME] tables. Add at least one component.")
    specs = []
    for name, entry in table.items():
        spec = ComponentSpec(name=name, fn=str(entry.get("fn", name)), weight=float(entry.get("weight", 0.0)),
                             gate=bool(entry.get("gate", False)), params=dict(entry.get("params", {})),
                             fallback=entry.get("fallback"))
        if spec.weight < 0 or not math.isfinite(spec.weight):
            raise RubricError(f"{where}: component {name} has weight {spec.weight}; weights must be ≥ 0.")
        if spec.weight == 0 and not spec.gate:
            raise RubricError(f"{where}: component {name} has neither a weight nor gate = true. Give it one.")
        get_component(spec.fn)  # a fallback may come from an optional plugin: checked when scoring
        specs.append(spec)
    judges = {n: JudgeSettings.from_dict(n, d) for n, d in data.get("judges", {}).items()}
    return Rubric(name=str(data.get("name", path.stem if path else "rubric")), specs=specs,
                  judge_settings=judges, description=str(data.get("description", "")), path=path)
