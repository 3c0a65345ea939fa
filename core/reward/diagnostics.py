"""Rubric diagnostics over a window of scored rollouts grouped as GRPO groups.

The three failures of the first rubric, found automatically:
- correlated: components whose scores correlate above 0.8 (Spearman) measure the same thing;
- saturated: a component with no spread inside a group gives that group no gradient;
- effective vs nominal: weight × within-group spread (normalised) is what the advantage really
  sees; a heavily weighted flat component and a lightly weighted lively one are both flagged.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr

NOT_COMPONENTS = frozenset({"step", "group", "total", "reward"})
CORRELATED_RHO = 0.8
SATURATED_FRAC = 0.5      # a component is saturated when at least this share of groups has no spread
SINCE_STEP_FRAC = 0.9     # ...and "since" the step from which every step has at least this share
EFFECTIVE_RATIO = 2.0     # effective / nominal outside [1/2, 2] is flagged
ZERO_SPREAD = 1e-9


@dataclass
class Diagnosis:
    """What `diagnose` found; `to_dict()` is the `rubric diagnose --json` output."""

    correlated: list[tuple[str, str, float]]
    saturated: list[dict[str, Any]]
    effective: dict[str, dict[str, float]]
    warnings: list[dict[str, Any]] = field(default_factory=list)  # {kind, components, message}
    rows: int = 0
    groups: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"correlated": [list(c) for c in self.correlated], "saturated": self.saturated,
                "effective": self.effective, "warnings": self.warnings, "rows": self.rows, "groups": self.groups}


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows from JSONL (one object per line) or parquet."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq  # deferred: heavy (pyarrow)

        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def component_columns(rows: list[dict[str, Any]]) -> list[str]:
    """Numeric columns other than step, group and total, in first-seen order."""
    names: dict[str, None] = {}
    for row in rows:
        for k, v in row.items():
            if k not in NOT_COMPONENTS and isinstance(v, (int, float)) and not isinstance(v, bool):
                names.setdefault(k, None)
    return list(names)


def _num(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else math.nan


def diagnose(rows: list[dict[str, Any]], weights: dict[str, float] | None = None) -> Diagnosis:
    """Correlated pairs, saturated components (with since_step) and effective vs nominal weights."""
    names = component_columns(rows)
    if not names:
        raise ValueError("no numeric component columns (besides step, group, total) in the rows.")
    weights = {n: float(weights.get(n, 0.0)) for n in names} if weights else dict.fromkeys(names, 1.0)
    data = np.array([[_num(r.get(n)) for n in names] for r in rows], dtype=float)
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r.get("step"), r.get("group"))].append(i)
    diag = Diagnosis(_correlated(names, data), [], {}, rows=len(rows), groups=len(groups))
    spreads = {n: [] for n in names}   # (step, zero-spread?, std) per group with ≥ 2 values
    for (step, _), idx in groups.items():
        for j, n in enumerate(names):
            col = data[idx, j]
            col = col[~np.isnan(col)]
            if len(col) >= 2:
                spreads[n].append((step, float(col.max() - col.min()) <= ZERO_SPREAD, float(col.std())))
    for n in names:
        entries = spreads[n]
        if not entries:
            continue
        frac = sum(z for _, z, _ in entries) / len(entries)
        since = _since_step(entries)
        if frac >= SATURATED_FRAC or since is not None:
            diag.saturated.append({"component": n, "frac_zero_spread": round(frac, 4), "since_step": since})
    nominal_sum = sum(weights.values()) or 1.0
    raw = {n: weights[n] * (float(np.mean([s for _, _, s in spreads[n]])) if spreads[n] else 0.0) for n in names}
    raw_sum = sum(raw.values()) or 1.0
    for n in names:
        nominal, effective = weights[n] / nominal_sum, raw[n] / raw_sum
        diag.effective[n] = {"nominal": round(nominal, 4), "effective": round(effective, 4)}
    _warn(diag)
    return diag


def spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    """Spearman's rho over the entries where both are finite; None when it is undefined (under 3 pairs, or
    one side constant). Ranks, not values: the Rubric pane's heatmap and these warnings read the same figure."""
    ok = np.isfinite(a) & np.isfinite(b)
    x, y = a[ok], b[ok]
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(spearmanr(x, y).statistic)


def _correlated(names: list[str], data: np.ndarray) -> list[tuple[str, str, float]]:
    out = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            rho = spearman(data[:, a], data[:, b])
            if rho is not None and rho > CORRELATED_RHO:
                out.append((names[a], names[b], round(rho, 4)))
    return sorted(out, key=lambda t: -t[2])


def _since_step(entries: list[tuple[Any, bool, float]]) -> int | None:
    by_step: dict[Any, list[bool]] = defaultdict(list)
    for step, zero, _ in entries:
        by_step[step].append(zero)
    steps = sorted(s for s in by_step if s is not None)
    since = None
    for s in reversed(steps):  # walk back while every later step is (almost) all flat
        if sum(by_step[s]) / len(by_step[s]) >= SINCE_STEP_FRAC:
            since = s
        else:
            break
    # a component flat only on the very last step of the window is not "saturated since"
    return since if since is not None and len(steps) >= 2 and since != steps[-1] else None


def _warn(diag: Diagnosis) -> None:
    # Each warning names the components it is about, so a live run can tell a new finding from a repeated one.
    for a, b, rho in diag.correlated:
        diag.warnings.append({"kind": "correlated", "components": [a, b],
                              "message": f"{a} and {b} correlate {rho:.2f}: they measure the same thing"})
    for s in diag.saturated:
        since = f" since step {s['since_step']}" if s["since_step"] is not None else ""
        diag.warnings.append({"kind": "saturated", "components": [s["component"]],
                              "message": f"{s['component']} has no spread in {s['frac_zero_spread']:.0%} of groups"
                              f"{since}: no gradient"})
    for n, e in diag.effective.items():
        nominal, effective = e["nominal"], e["effective"]
        if nominal > 0 and (effective / nominal > EFFECTIVE_RATIO or effective / nominal < 1 / EFFECTIVE_RATIO):
            diag.warnings.append({"kind": "effective", "components": [n], "message": f"{n}: nominal weight "
                                  f"{nominal:.2f} but effective {effective:.2f} of the advantage"})
