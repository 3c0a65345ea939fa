"""The arithmetic behind `Rubric.combine`, the one rule that makes a total (call it through the Rubric).

Per rollout: a gate at 0, or a render the sketch itself broke, scores 0 (the sketch's fault, a real 0).
An unmeasured gate, or no weighted component measured, gives no total (None: TRL leaves the rollout out
of its group's baseline). Otherwise the gates multiply the weighted mean of the components.

Per group (the rollouts compared with one another: a GRPO group, the samples of one prompt), for each
weighted component that some rollouts taking part lack:
- lacking in fewer than half of them: those rollouts get no total (None), and the rest keep the component.
  A sketch that makes the judge fail on its own picture (text that talks to a vision judge, an image that
  always draws a malformed answer) must not take the judge away from its whole group and be totalled on
  the cheap components alone; and an outage on one rollout costs that rollout nothing either way;
- lacking in half of them or more (a judge down for the step): the component is dropped for the whole
  group, and the weights renormalise over what the group shares.
Rollouts already decided (scored 0, or None) do not take part, so a sketch that breaks its own render
cannot take the judges away from the rest of its group.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def group_ids(groups: Sequence[Hashable] | None, n: int) -> np.ndarray:
    """Small integers per row, equal where the group keys are equal (each row alone when None)."""
    if groups is None:
        return np.arange(n)
    if len(groups) != n:
        raise ValueError(f"{len(groups)} group keys for {n} rollouts: give one per rollout.")
    index: dict[Hashable, int] = {}
    return np.array([index.setdefault(g, len(index)) for g in groups], dtype=np.int64)


def combine_matrix(values: np.ndarray, weights: np.ndarray, gates: np.ndarray, groups: np.ndarray,
                   failed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(totals (n,), NaN = None; used (n, c): the components each total was made from).

    `values` is n rollouts × c components (NaN = not measured), `weights` (c,), `gates` (c,) bool,
    `groups` (n,) small integers, `failed` (n,) bool: the sketch broke its own render.
    """
    n, c = values.shape
    measured = ~np.isnan(values)
    weighted = weights > 0
    gate_values, gate_measured = values[:, gates], measured[:, gates]
    closed = (gate_measured & (gate_values == 0.0)).any(axis=1) | failed
    unknown_gate = (~gate_measured).any(axis=1) & ~closed
    product = np.where(gate_measured, gate_values, 1.0).prod(axis=1)
    takes_part = ~closed & ~unknown_gate & (measured & weighted).any(axis=1)

    size = int(groups.max()) + 1 if n else 0
    lacks = ~measured & weighted & takes_part[:, None]
    members = np.bincount(groups[takes_part], minlength=size)            # (groups,)
    lacking = np.zeros((size, c), dtype=np.int64)
    np.add.at(lacking, groups, lacks.astype(np.int64))                   # (groups, c)
    dropped = lacking * 2 >= members[:, None]                             # half or more lack it
    dropped &= lacking > 0
    outvoted = takes_part & (lacks & ~dropped[groups]).any(axis=1)       # lacks what most of its group has
    used = ~dropped[groups] & weighted & (takes_part & ~outvoted)[:, None]
    weight_sum = (used * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.where(used, values, 0.0) * weights).sum(axis=1) / weight_sum
    totals = np.where(takes_part & ~outvoted & (weight_sum > 0), product * mean, np.nan)
    return np.where(closed, 0.0, totals), used
