"""Rubric diagnostics while a run trains: `core.reward.diagnostics.diagnose` over a sliding window of steps.

The original project's rubric failed during training (two components measuring the same thing, one
with no spread in any group, a heavy weight the advantage never saw) and was only diagnosed afterwards.
Here each scored batch adds one row per rollout (its weighted components and its GRPO group); at every
logged step the last `window` steps are diagnosed, and each finding becomes a run event, and so a marker
on the curves, at the step it first holds (logged at that step, so a resume rewinds it like a metric):
- `correlated`: two components correlate above 0.8;
- `saturated`: a component has no spread in half the groups or more (data.since_step: the step from
  which it has been flat in every group, when the window shows one);
- `weight_warning`: a component's effective share of the advantage is off its nominal weight by 2×;
- `zero_spread_warning`: TRL's frac_reward_zero_std averages 0.5 or more over the window: half the
  groups give no gradient at all.
Every step also logs `diagnostics/effective/<component>` (its effective share) and
`diagnostics/zero_spread` (the window's mean frac_reward_zero_std). `state()` / `load_state()` carry the
window and what already fired across a resume (saved inside the checkpoint's trainer state).
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

from core.reward.diagnostics import diagnose

WINDOW = 10
MIN_STEPS = 3             # diagnose only once the window holds this many steps
ZERO_SPREAD_SHARE = 0.5   # mean frac_reward_zero_std over the window at or above this warns
KINDS = {"correlated": "correlated", "saturated": "saturated", "effective": "weight_warning"}
ZERO_SPREAD_KIND = "zero_spread_warning"
EVENT_KINDS = (*KINDS.values(), ZERO_SPREAD_KIND)  # the run event kinds this module writes


@dataclass(frozen=True)
class Finding:
    """A diagnosis that holds for the first time: a run event of `kind` at `step`."""

    kind: str
    key: str
    step: int
    message: str
    data: dict[str, Any]


class LiveDiagnostics:
    """Keeps the window's rows; `add_batch` per scored batch, `update` per logged step."""

    def __init__(self, weights: dict[str, float], num_generations: int = 1, window: int = WINDOW):
        self.weights = dict(weights)
        self.num_generations = max(1, num_generations)
        self.window = window
        self.rows: list[dict[str, Any]] = []
        self.zero_spread: list[tuple[int, float]] = []
        self.fired: dict[str, int] = {}  # finding key -> the step it first held

    def add_batch(self, step: int, components: list[dict[str, float | None]]) -> None:
        """One scored batch: its rollouts' weighted components, grouped as TRL grouped them."""
        self.rows = [r for r in self.rows if r["step"] != step]  # a batch scored again replaces itself
        for i, values in enumerate(components):
            self.rows.append({"step": step, "group": i // self.num_generations,
                              **{n: values.get(n) for n in self.weights}})
        self._trim(step)

    def _trim(self, step: int) -> None:
        self.rows = [r for r in self.rows if r["step"] > step - self.window]
        self.zero_spread = [(s, v) for s, v in self.zero_spread if s > step - self.window]

    def update(self, step: int, logs: dict[str, Any]) -> tuple[dict[str, float], list[Finding]]:
        """This step's diagnostics metrics and the findings that hold for the first time."""
        share = logs.get("frac_reward_zero_std")
        if isinstance(share, int | float) and math.isfinite(share):
            self.zero_spread = [(s, v) for s, v in self.zero_spread if s != step] + [(step, float(share))]
        self._trim(step)
        metrics: dict[str, float] = {}
        found: list[Finding] = []
        if self.zero_spread:
            mean = statistics.fmean(v for _, v in self.zero_spread)
            metrics["diagnostics/zero_spread"] = mean
            if len(self.zero_spread) >= MIN_STEPS and mean >= ZERO_SPREAD_SHARE:
                found += self._fire(ZERO_SPREAD_KIND, "zero_spread", step,
                                    f"{mean:.0%} of groups had no reward spread over the last {len(self.zero_spread)} "
                                    "steps (frac_reward_zero_std): those groups give no gradient",
                                    {"mean_frac_reward_zero_std": mean, "steps": len(self.zero_spread)})
        steps = {r["step"] for r in self.rows}
        if len(steps) < MIN_STEPS:
            return metrics, found
        try:
            diag = diagnose(self.rows, self.weights)
        except ValueError:  # nothing measured in the window: nothing to diagnose
            return metrics, found
        for name, e in diag.effective.items():
            metrics[f"diagnostics/effective/{name}"] = e["effective"]
        saturated = {s["component"]: s for s in diag.saturated}
        for w in diag.warnings:
            kind = KINDS.get(w["kind"], w["kind"])
            data: dict[str, Any] = {"components": w["components"], "window": sorted(steps)}
            if w["kind"] == "saturated":
                data.update(saturated[w["components"][0]])
            elif w["kind"] == "effective":
                data.update(diag.effective[w["components"][0]])
            elif w["kind"] == "correlated":
                data["rho"] = next(r for a, b, r in diag.correlated if [a, b] == w["components"])
            found += self._fire(kind, f"{w['kind']}:{'|'.join(w['components'])}", step, w["message"], data)
        return metrics, found

    def _fire(self, kind: str, key: str, step: int, message: str, data: dict[str, Any]) -> list[Finding]:
        if key in self.fired:
            return []
        self.fired[key] = step
        return [Finding(kind=kind, key=key, step=step, message=message, data=data)]

    def state(self) -> dict[str, Any]:
        """JSON-ready: the window's rows, the zero-spread shares and what fired."""
        return {"rows": self.rows, "zero_spread": self.zero_spread, "fired": self.fired}

    def load_state(self, state: dict[str, Any]) -> None:
        """Continue from `state()` as saved in the checkpoint a run resumes from."""
        # In the rubric's order, as add_batch makes them: trainer_state.json sorts keys, and the order of
        # the columns names a correlated pair ("a and b"), so a resumed run says it as an unbroken one does.
        self.rows = [{"step": r["step"], "group": r["group"], **{n: r.get(n) for n in self.weights}}
                     for r in state.get("rows", [])]
        self.zero_spread = [(int(s), float(v)) for s, v in state.get("zero_spread", [])]
        self.fired = {str(k): int(v) for k, v in state.get("fired", {}).items()}
