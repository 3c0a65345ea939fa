"""`Rubric.combine`, the one rule that makes a total: gates, renormalised weights, per-group masking,
machine faults (not measured) against sketch failures (a real 0), in its three forms (one rollout, a list,
a matrix) and through `Rubric.score`."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest
from reward_helpers import painting, png_rollout

from core.reward import register_component, rubric_from_dict
from core.reward.types import Rollout


@register_component("test_meta_value", help="test: the value the rollout's meta names for this component")
def _meta_value(rollout: Rollout, ctx) -> float | None:
    return rollout.meta.get("values", {}).get(ctx.name)


RUBRIC = rubric_from_dict({"name": "t", "components": {
    "gate": {"fn": "test_meta_value", "gate": True},
    "x": {"fn": "test_meta_value", "weight": 0.25},
    "y": {"fn": "test_meta_value", "weight": 0.75},
}})


def test_a_component_missing_for_half_a_group_or_more_is_dropped_for_the_whole_group():
    rows = [{"gate": 1, "x": 1.0, "y": 0.0}, {"gate": 1, "x": 0.5, "y": None}, {"gate": 1, "x": 0.0, "y": None},
            {"gate": 1, "x": 1.0, "y": 0.0}, {"gate": 1, "x": 0.0, "y": 1.0}]
    totals = RUBRIC.combine(rows, groups=["a", "a", "a", "b", "b"])
    assert totals[:3] == [1.0, 0.5, 0.0]  # two of three lack y: y's weight renormalises away for all three
    assert totals[3:] == [pytest.approx(0.25), pytest.approx(0.75)]  # group b shares both
    alone = RUBRIC.combine(rows)  # each rollout its own group: renormalised over what it has
    assert alone == [pytest.approx(0.25), 0.5, 0.0, pytest.approx(0.25), pytest.approx(0.75)]


def test_a_rollout_lacking_what_most_of_its_group_has_gets_no_total_and_takes_nothing_away():
    # The third rollout's picture made the judge (y) fail: it is left out (None: no penalty, no reward),
    # and the others keep y. Were y dropped for the group, a cheat that maxes x while breaking the
    # judge on its own picture would win the group on x alone.
    rows = [{"gate": 1, "x": 0.0, "y": 1.0}, {"gate": 1, "x": 0.2, "y": 0.8}, {"gate": 1, "x": 1.0, "y": None}]
    assert RUBRIC.combine(rows, groups=[0, 0, 0]) == [pytest.approx(0.75), pytest.approx(0.65), None]


def test_rollouts_already_decided_take_no_component_away_from_their_group():
    rows = [{"gate": 0.0, "x": 0.9, "y": None},    # gate closed, judges skipped: a real 0
            {"gate": None, "x": 0.9, "y": None},   # gate not measured: no total (it could have been 0)
            {"gate": None, "x": None, "y": None},  # nothing measured (a machine fault)
            {"gate": 1.0, "x": 1.0, "y": 0.0}, {"gate": 0.5, "x": 0.0, "y": 1.0}]
    totals = RUBRIC.combine(rows, groups=[0] * 5)
    assert totals[:3] == [0.0, None, None]
    assert totals[3:] == [pytest.approx(0.25), pytest.approx(0.5 * 0.75)]  # y kept: both that take part have it


def test_a_sketch_that_broke_its_own_render_scores_zero_whatever_was_measured():
    rows = [{"gate": 1.0, "x": 1.0, "y": None}, {"gate": 1.0, "x": 1.0, "y": 1.0}]
    assert RUBRIC.combine(rows, groups=[0, 0], failed=[True, False]) == [0.0, 1.0]
    assert RUBRIC.combine(rows[0], failed=True) == 0.0


def test_scalar_list_and_matrix_forms_agree():
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(40):
        rows.append({n: (None if rng.random() < 0.2 else float(rng.choice([0.0, rng.random(), 1.0])))
                     for n in ("gate", "x", "y")})
    groups = [i // 4 for i in range(40)]
    listed = RUBRIC.combine(rows, groups)
    names = ["y", "gate", "x"]  # any column order
    matrix = np.array([[np.nan if r[n] is None else r[n] for n in names] for r in rows])
    from_matrix = RUBRIC.combine(matrix, groups, names=names)
    assert _same([None if np.isnan(t) else float(t) for t in from_matrix], listed)
    assert _same([RUBRIC.combine(r) for r in rows], RUBRIC.combine(rows))  # one alone = a group of one
    assert sum(t is None for t in listed) > 0 and sum(t == 0.0 for t in listed) > 0  # the sample covers every case


def _same(a: list[float | None], b: list[float | None]) -> bool:
    if len(a) != len(b):
        return False
    return all((x is None and y is None) or (x is not None and y is not None and abs(x - y) < 1e-12)
               for x, y in zip(a, b, strict=True))


def test_settings_change_weights_and_gates_as_the_pane_does():
    row = {"gate": 0.0, "x": 1.0, "y": 0.0}
    assert RUBRIC.combine(row) == 0.0
    opened = RUBRIC.with_settings({"x": 1.0, "y": 0.0}, {"gate": False})
    assert opened.combine(row) == 1.0  # the gate is off and y has no weight


def _rollout(values: dict, error_kind: str | None = None, png: bool = True) -> Rollout:
    r = png_rollout(painting() if png and error_kind is None else None, error_kind=error_kind)
    r.meta["values"] = values
    return r


def test_score_leaves_a_machine_fault_unmeasured_and_scores_a_sketch_failure_zero():
    full = {"gate": 1.0, "x": 1.0, "y": 0.5}
    rollouts = [_rollout(full, "browser"), _rollout(full, "overloaded"), _rollout(full, "timeout"),
                _rollout(full, "runtime"), _rollout(full), _rollout({**full, "y": None})]
    scores = asyncio.run(RUBRIC.score(rollouts))  # one prompt: one group
    browser, overloaded, timeout, runtime, good, partial = scores
    for s, kind in ((browser, "browser"), (overloaded, "overloaded")):
        assert s.total is None and s.fault == kind and all(v is None for v in s.components.values())
        assert any("machine" in n for n in s.notes)
    assert timeout.total == 0.0 and runtime.total == 0.0 and timeout.fault is None
    # the partial rollout lacks y: y is dropped for the group, so both are totalled on x alone
    assert good.total == 1.0 and partial.total == 1.0
    assert good.dropped == ["y"] and any("left out for the whole group" in n for n in good.notes)
    assert good.complete and not partial.complete and partial.missing == ["y"]
