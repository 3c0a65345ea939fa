"""Live rubric diagnostics: each finding fires once, at the step it first holds, and survives a resume."""
from __future__ import annotations

import json
import random

from core.train.live_diagnostics import EVENT_KINDS, LiveDiagnostics

WEIGHTS = {"detail": 0.3, "colour": 0.5, "palette": 0.1, "length": 0.1}  # not in name order, on purpose


def _batch(step: int, rng: random.Random) -> list[dict[str, float | None]]:
    """8 rollouts (2 groups of 4): colour lively; detail = colour (same thing); length flat from step 4 on;
    palette lively but light. Step 2 has one rollout whose detail was not measured."""
    rows = []
    for i in range(8):
        c = rng.random()
        rows.append({"colour": c, "detail": None if (step, i) == (2, 0) else c * 0.9 + 0.05,
                     "length": 1.0 if step >= 4 else float(i % 2), "palette": rng.random()})
    return rows


def _run(steps: range, diag: LiveDiagnostics, seed: int = 0, zero_std: float = 0.0) -> list:
    rng = random.Random(seed)
    out = []
    for step in range(1, steps.stop):
        batch = _batch(step, rng)
        if step not in steps:
            continue
        diag.add_batch(step, batch)
        metrics, found = diag.update(step, {"frac_reward_zero_std": zero_std if step >= 3 else 0.0})
        out.append((step, metrics, found))
    return out


def test_findings_fire_once_at_the_step_they_first_hold():
    diag = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    steps = _run(range(1, 15), diag)
    events = [(s, f.kind, f.key, f.data) for s, _, found in steps for f in found]
    assert {k for _, k, _, _ in events} <= set(EVENT_KINDS)
    keys = [k for _, _, k, _ in events]
    assert len(keys) == len(set(keys)), "a finding that keeps holding is not repeated"
    first = {k: (s, d) for s, _, k, d in events}
    assert first["correlated:detail|colour"][0] == 3  # once three steps are in the window
    assert first["correlated:detail|colour"][1]["rho"] > 0.99
    # length is flat in every group from step 4: saturated as soon as two steps show it (step 5), since step 4
    step, data = first["saturated:length"]
    assert step == 5 and data["since_step"] == 4 and data["frac_zero_spread"] == 0.4
    # a flat component takes no share of the advantage, whatever its nominal weight
    assert "effective:length" in first and steps[-1][1]["diagnostics/effective/length"] == 0.0
    assert "zero_spread" not in first and steps[-1][1]["diagnostics/zero_spread"] == 0.0


def test_zero_spread_share_warns_when_half_the_groups_give_no_gradient():
    diag = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    steps = _run(range(1, 8), diag, zero_std=0.75)
    fired = [(s, f) for s, _, found in steps for f in found if f.kind == "zero_spread_warning"]
    assert len(fired) == 1
    step, finding = fired[0]
    # window means: step 3 (0+0+.75)/3, step 4 .375, step 5 .45, step 6 (0+.75*4)/5 = .6
    assert step == 6 and "no reward spread" in finding.message


def test_state_carries_the_window_across_a_resume():
    whole = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    a = _run(range(1, 13), whole)
    first = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    b = _run(range(1, 8), first)
    resumed = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    resumed.load_state(json.loads(json.dumps(first.state(), sort_keys=True)))  # as trainer_state.json saves it
    # columns in the rubric's order again: the order names a pair ("detail and colour correlate")
    assert [list(r) for r in resumed.rows] == [list(r) for r in first.rows]
    b += _run(range(8, 13), resumed)
    assert [(s, m, [f.key for f in found]) for s, m, found in a] == [(s, m, [f.key for f in found]) for s, m, found in b]
    fresh = LiveDiagnostics(WEIGHTS, num_generations=4, window=5)
    c = _run(range(8, 13), fresh)
    assert [f.key for _, _, found in c for f in found] != [f.key for _, _, found in a[7:] for f in found], \
        "without its state a resumed run would fire again what already fired"
