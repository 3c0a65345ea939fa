"""A rubric: components, weights, gates and judge settings loaded from a preset, the scorer, and
`Rubric.combine`, the one place a total is made (the CLI, the Rubric pane, held-out evaluation and
training all call it; the rule is written out in core/reward/combine.py).

Gates multiply, weighted components add, renormalised over the components a group of rollouts
shares; what could not be measured (None) is listed in `Score.missing`, never scored 0. A render the
machine failed (MACHINE_KINDS) leaves the rollout unmeasured; one the sketch broke scores 0.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import math
import os
import tomllib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from core.paths import RESOURCES
from core.render.types import MACHINE_KINDS
from core.reward.combine import combine_matrix, group_ids
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
        return self.with_settings(weights)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON and the Rubric pane (judge keys are never part of a preset)."""
        return {"name": self.name, "description": self.description, "weights": self.weights, "gates": self.gates,
                "components": [vars(s) for s in self.specs],
                "judges": {k: v.public_dict() for k, v in self.judge_settings.items()}}

    def with_settings(self, weights: Mapping[str, float], gates: Mapping[str, bool] | None = None) -> Rubric:
        """A copy with some weights (and gate flags) replaced, as the Rubric pane's sliders set them."""
        gates = gates or {}
        names = {s.name for s in self.specs}
        unknown = (set(weights) | set(gates)) - names
        if unknown:
            raise RubricError(f"no component {', '.join(sorted(unknown))} in rubric {self.name}; have {', '.join(sorted(names))}.")
        specs = [replace(s, weight=float(weights.get(s.name, s.weight)), gate=bool(gates.get(s.name, s.gate)))
                 for s in self.specs]
        return replace(self, specs=specs)

    def with_gate(self, name: str, fn: str, params: dict[str, Any] | None = None) -> Rubric:
        """A copy with one more gate (the trainer's length floor); RubricError if `name` is taken."""
        if any(s.name == name for s in self.specs):
            raise RubricError(f"rubric {self.name} already has a component {name}.")
        get_component(fn)
        return replace(self, specs=[*self.specs, ComponentSpec(name=name, fn=fn, gate=True, params=dict(params or {}))])

    @overload
    def combine(self, values: Mapping[str, float | None], groups: None = None, *, failed: bool = False,
                names: None = None) -> float | None: ...
    @overload
    def combine(self, values: Sequence[Mapping[str, float | None]], groups: Sequence[Hashable] | None = None, *,
                failed: Sequence[bool] | None = None, names: None = None) -> list[float | None]: ...
    @overload
    def combine(self, values: np.ndarray, groups: Sequence[Hashable] | None = None, *,
                failed: Sequence[bool] | None = None, names: Sequence[str]) -> np.ndarray: ...

    def combine(self, values, groups=None, *, failed=None, names=None):  # noqa: ANN001, ANN201 (see the overloads)
        """The one rule that makes a total (core/reward/combine.py says it in full).

        One rollout's values (a dict: name -> value, None = not measured) give its total or None; a list of
        them gives a list, masked per group (`groups`: one key per rollout; None = each alone); a matrix
        (rows × `names`, NaN = not measured) gives an array with NaN for None. `failed`: the sketch broke
        its own render (a real 0). Gates and weights are this rubric's.
        """
        if isinstance(values, np.ndarray):
            totals, _ = self._combined(values, list(names or ()), groups, failed)
            return totals
        if isinstance(values, Mapping):
            totals, _ = self._combined(self._matrix([values]), self._names(), None, [bool(failed)])
            return _value(totals[0])
        totals, _ = self._combined(self._matrix(values), self._names(), groups, failed)
        return [_value(t) for t in totals]

    def _names(self) -> list[str]:
        return [s.name for s in self.specs]

    def _matrix(self, rows: Sequence[Mapping[str, float | None]]) -> np.ndarray:
        names = self._names()
        return np.array([[np.nan if r.get(n) is None else float(r[n]) for n in names] for r in rows],
                        dtype=float).reshape(len(rows), len(names))

    def _combined(self, matrix: np.ndarray, names: list[str], groups: Sequence[Hashable] | None,
                  failed: Sequence[bool] | None) -> tuple[np.ndarray, np.ndarray]:
        by_name = {s.name: s for s in self.specs}
        unknown = [n for n in names if n not in by_name]
        if unknown or matrix.shape[1:] != (len(names),):
            raise RubricError(f"values for {', '.join(unknown) or f'{matrix.shape[1:]} columns'} do not match rubric "
                              f"{self.name} ({', '.join(by_name)}).")
        n = matrix.shape[0]
        weights = np.array([by_name[c].weight for c in names], dtype=float)
        gates = np.array([by_name[c].gate for c in names], dtype=bool)
        broke = np.zeros(n, dtype=bool) if failed is None else np.asarray(failed, dtype=bool).reshape(n)
        return combine_matrix(matrix, weights, gates, group_ids(groups, n), broke)

    async def score(self, rollouts: Sequence[Rollout], refs_pool: RatingPool | None = None, *,
                    cache: JudgementCache | None = None, accounting: Accounting | None = None,
                    seed: int = 0, groups: Sequence[Hashable] | None = None,
                    shared: Mapping[Any, Any] | None = None) -> list[Score]:
        """Measure every rollout (judge calls share each backend's concurrency limit), then `combine`.

        `groups`: which rollouts are compared with one another (default: those of one prompt). `shared`: what
        the caller hands every component for this pass (RunContext.shared, e.g. the run's tokenizer).
        """
        async with self.scoring(refs_pool, cache=cache, accounting=accounting, seed=seed, shared=shared) as run:
            run.prepare(rollouts)
            measured = await asyncio.gather(*(run.measure(r) for r in rollouts))
        return run.scores(rollouts, measured, groups)

    def scoring(self, refs_pool: RatingPool | None = None, *, cache: JudgementCache | None = None,
                accounting: Accounting | None = None, seed: int = 0,
                shared: Mapping[Any, Any] | None = None) -> ScoringPass:
        """A scoring pass that takes rollouts as they arrive (`async with rubric.scoring(...) as run`):
        `await run.measure(r)` as soon as r's render lands, `run.scores(...)` once all are in."""
        return ScoringPass(self, refs_pool, cache, accounting or Accounting(), seed, shared)

    def _scores(self, rollouts: Sequence[Rollout], measured: Sequence[Measured], groups: Sequence[Hashable] | None,
                cost: dict[str, Any]) -> list[Score]:
        """Scores from measured values: the totals by the one rule (`_combined`, as `combine`), per group."""
        names = self._names()
        matrix = self._matrix([m.values for m in measured])
        groups = [r.prompt for r in rollouts] if groups is None else groups
        totals, used = self._combined(matrix, names, groups, [m.failure is not None for m in measured])
        weighted = {s.name for s in self.specs if s.weight > 0}
        scores = []
        for m, total, row_used in zip(measured, totals, used, strict=True):
            dropped = [n for n, u in zip(names, row_used, strict=True) if n in weighted and not u
                       and m.values[n] is not None] if row_used.any() else []
            if dropped:
                m.state.notes.append(f"left out for the whole group (not measured for half of it or more): "
                                     f"{', '.join(dropped)}")
            lacking = [n for n in names if n in weighted and m.values[n] is None]
            gates_known = all(m.values[s.name] is not None for s in self.specs if s.gate)
            if _value(total) is None and m.fault is None and gates_known and lacking and any(
                    m.values[n] is not None for n in weighted):
                m.state.notes.append(f"no total: {', '.join(lacking)} not measured for this rollout while most of "
                                     "its group has it; it is left out of the group's comparison (no penalty)")
            scores.append(Score(total=_value(total), components={n: m.values[n] for n in names if n in weighted},
                                gates={s.name: m.values[s.name] for s in self.specs if s.gate},
                                missing=[n for n in names if m.values[n] is None and n not in m.skipped],
                                dropped=dropped, notes=m.state.notes, refs=m.state.refs, cost=cost, fault=m.fault))
        return scores

    def _prepare(self, rollouts: Sequence[Rollout], run: RunContext, begun: set[str]) -> list[asyncio.Future]:
        """Start the judged components' preparations (references per prompt, for prompts not in `begun`) so
        they overlap the renders and the gates."""
        tasks: list[asyncio.Future] = []
        first_per_prompt: dict[str, Rollout] = {}
        for r in rollouts:
            if fault_of(r) is None and r.prompt not in begun:
                first_per_prompt.setdefault(r.prompt, r)
        begun.update(first_per_prompt)
        for spec in self.specs:
            prepare = component_preparer(spec.fn)
            if prepare is None:
                continue
            for rollout in first_per_prompt.values():
                ctx = ComponentContext(name=spec.name, params=spec.params, run=run, state=RolloutState())
                tasks.append(asyncio.ensure_future(prepare(rollout, ctx)))
        return tasks

    async def _measure(self, rollout: Rollout, run: RunContext) -> Measured:
        state = RolloutState()
        fault = fault_of(rollout)
        if fault is not None:  # the machine failed, not the sketch: nothing about it is measured
            message = rollout.render.error.message if rollout.render and rollout.render.error else ""
            state.notes.append(f"not measured: the render failed for the machine's reasons ({fault}: {message})")
            return Measured(dict.fromkeys(self._names()), [], state, fault=fault)
        failure = failure_of(rollout)
        values: dict[str, float | None] = {}
        cheap = [s for s in self.specs if not component_info(s.fn)["judged"]]
        judged = [s for s in self.specs if component_info(s.fn)["judged"]]
        async with run.shared["cpu"]:
            for spec in cheap:
                values[spec.name] = await self._evaluate(spec, rollout, run, state)
        closed = [s.name for s in self.specs if s.gate and values.get(s.name) == 0.0]
        if failure is not None:
            closed.append(f"render ({failure})")
        skipped: list[str] = []
        if closed:  # no judge money on a sketch that already scores 0
            skipped = [s.name for s in judged]
            if skipped:
                state.notes.append(f"gate {', '.join(closed)} = 0: skipped {', '.join(skipped)}")
            values.update(dict.fromkeys(skipped))
        else:
            results = await asyncio.gather(*(self._evaluate(s, rollout, run, state) for s in judged))
            values.update(zip([s.name for s in judged], results, strict=True))
        return Measured({n: values[n] for n in self._names()}, skipped, state, failure=failure)

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


@dataclass
class Measured:
    """One rollout's component values before they are combined, and why some are absent."""

    values: dict[str, float | None]
    skipped: list[str]
    state: RolloutState
    fault: str | None = None     # a machine failure (MACHINE_KINDS): not measured at all
    failure: str | None = None   # the sketch broke its own render: a real 0


class ScoringPass:
    """One scoring pass over rollouts that arrive one by one (`Rubric.scoring`).

    `measure(r)` runs r's cheap components, then its judge calls, as soon as r is ready (its render
    landed), so judging overlaps the renders still running; `scores()`, once every rollout is measured,
    makes the totals with the one rule, per group (`Rubric.combine`'s). Judges, the references drawn per
    prompt and the accounting are shared by the whole pass, as in `Rubric.score`."""

    def __init__(self, rubric: Rubric, refs_pool: RatingPool | None, cache: JudgementCache | None,
                 accounting: Accounting, seed: int, shared: Mapping[Any, Any] | None = None):
        self.rubric = rubric
        judges = build_judges(rubric.judge_settings, cache=cache, accounting=accounting)
        self.run = RunContext(judges=judges, refs_pool=refs_pool, cache=cache, accounting=accounting, seed=seed,
                              shared=dict(shared or {}))
        # The cheap components are CPU work (PNG decode, the checker): with every rollout's gate running
        # at once they all end together and no judge call starts before the last one. A few at a time,
        # in arrival order, lets the first rollouts' judge calls fly while the others are still checked.
        self.run.shared["cpu"] = asyncio.Semaphore(max(1, min(4, os.cpu_count() or 1)))
        self._prepared: list[asyncio.Future] = []
        self._begun: set[str] = set()

    async def __aenter__(self) -> ScoringPass:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def prepare(self, rollouts: Sequence[Rollout]) -> None:
        """Start fetching what the judged components need for these rollouts' prompts (references)."""
        self._prepared += self.rubric._prepare(rollouts, self.run, self._begun)

    async def measure(self, rollout: Rollout) -> Measured:
        """Every component and gate of one rollout (its render, if any, done): values, not yet a total."""
        self.prepare([rollout])
        return await self.rubric._measure(rollout, self.run)

    def scores(self, rollouts: Sequence[Rollout], measured: Sequence[Measured],
               groups: Sequence[Hashable] | None = None) -> list[Score]:
        """One Score per rollout, totals combined per group (default: the rollouts of one prompt)."""
        return self.rubric._scores(rollouts, measured, groups, self.run.accounting.to_dict())

    async def aclose(self) -> None:
        """Wait for the preparations and close the judges' clients."""
        await asyncio.gather(*self._prepared, *(j.aclose() for j in self.run.judges.values()),
                             return_exceptions=True)


def fault_of(rollout: Rollout) -> str | None:
    """The render's error kind when the machine, not the sketch, failed it (browser crash, overload)."""
    error = rollout.render.error if rollout.render is not None else None
    return error.kind if error is not None and error.kind in MACHINE_KINDS else None


def failure_of(rollout: Rollout) -> str | None:
    """Why the sketch has no picture by its own doing (its error kind, or no code at all), else None."""
    render = rollout.render
    if render is not None and not render.ok:
        kind = render.error.kind if render.error is not None else "unknown"
        return None if kind in MACHINE_KINDS else kind
    if render is None and not rollout.code.strip():
        return "no code"
    return None


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)

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
