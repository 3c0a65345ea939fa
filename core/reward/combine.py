"""The arithmetic behind `Rubric.combine`, the one rule that makes a total (call it through the Rubric).

Per rollout: a gate at 0, or a render the sketch itself broke, scores 0 (the sketch's fault, a real 0).
An unmeasured gate, or no weighted component measured, gives no total (None: TRL leaves the rollout out
of its group's baseline). Otherwise the gates multiply the weighted mean of the components.

Per group (the rollouts compared with one another: a GRPO group, the samples of one prompt): a
component missing for any rollout that takes part is dropped for the whole group, and the weights
renormalise over what the group shares. Rollouts already decided (scored 0, or None) do not take part,
so a sketch that breaks its own render cannot take the judges away from the rest of its group.
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

    lacking = np.zeros((int(groups.max()) + 1 if n else 0, c), dtype=bool)
    np.logical_or.at(lacking, groups[takes_part], ~measured[takes_part])
    used = ~lacking[groups] & weighted & takes_part[:, None]
    weight_sum = (used * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.where(used, values, 0.0) * weights).sum(axis=1) / weight_sum
    totals = np.where(takes_part & (weight_sum > 0), product * mean, np.nan)
    return np.where(closed, 0.0, totals), used
