"""The Training pane's held-out rise: the paired delta per evaluation with its 95 % interval as a band, the
independent signal's delta beside it, and the live rubric diagnostics as markers on the curves."""
from __future__ import annotations

import asyncio
import math
from pathlib import Path

import numpy as np
import pytest

from core.train.live_diagnostics import EVENT_KINDS
from core.train.run_writer import RunWriter
from studio.widgets.curve_plot import CurveBoard
from tests.studio.conftest import wait_until


def test_the_interval_band_spans_ci_low_to_ci_high(qtbot, artifacts):
    board = CurveBoard()
    qtbot.addWidget(board)
    board.resize(1000, 900)
    board.show()
    steps = np.array([20.0, 40.0, 80.0])
    board.add({"heldout/delta": (steps, np.array([0.01, 0.03, 0.05])),
               "heldout/ci_low": (steps, np.array([-0.02, 0.005, 0.02])),
               "heldout/ci_high": (steps, np.array([0.04, 0.06, 0.09])),
               "heldout/independent_delta": (steps, np.array([0.0, -0.01, 0.01]))})
    while board.pending:
        board.redraw()
    i = next(n for n, p in enumerate(board.panels) if "heldout/delta" in p.keys)
    band = board._bands[("main", i)]
    x, y = band.xData, band.yData
    lower, upper = y[: len(x) // 2], y[len(x) // 2:][::-1]
    assert np.allclose(lower, [-0.02, 0.005, 0.02]) and np.allclose(upper, [0.04, 0.06, 0.09])
    names = {key for (which, n, key) in board._items if n == i}
    assert names == {"heldout/delta", "heldout/independent_delta"}
    board.grab().save(str(artifacts / "heldout_rise_band.png"))


def _write_run(store, run_dir: Path) -> None:
    """A 40-step run as the runner writes it: evaluations at 0, 20, 40 and three live diagnostics findings."""
    w = RunWriter(store, "rise-pane")
    w.start("rise-pane", "grpo", {"steps": 40}, run_dir)
    for step in range(1, 41):
        w.metrics(step, {"reward": 0.5 + 0.004 * step + 0.03 * math.sin(step), "reward_std": 0.08,
                         "frac_reward_zero_std": 0.1 + 0.01 * step, "kl": 0.001 * step})
    w.metrics(0, {"heldout/reward": 0.61, "heldout/nonblank": 0.8})
    for step, delta, low, high, second in ((20, 0.012, -0.008, 0.031, -0.004), (40, 0.034, 0.011, 0.058, 0.006)):
        w.metrics(step, {"heldout/reward": 0.61 + delta, "heldout/nonblank": 0.82, "heldout/delta": delta,
                         "heldout/ci_low": low, "heldout/ci_high": high, "heldout/independent_delta": second})
    w.event(12, "weight_warning", "composition: nominal weight 0.15 but effective 0.02 of the advantage")
    w.event(25, "saturated", "length has no spread in 100% of groups since step 21: no gradient")
    w.event(31, "zero_spread_warning", "55% of groups had no reward spread over the last 10 steps")
    w.status("finished")


@pytest.mark.gui
def test_the_pane_shows_the_rise_and_marks_each_diagnostics_finding(qtbot, store, brushwork_home, studio_loop,
                                                                     artifacts):
    from studio.bus import ChangeBus, Jobs
    from studio.panes.training import TrainingPane

    _write_run(store, brushwork_home / "runs" / "rise-pane")
    asyncio.set_event_loop(studio_loop)
    pane = TrainingPane(store, None, ChangeBus(), Jobs())
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    try:
        async def go():
            await wait_until(lambda: pane.run_id == "rise-pane", 20, "the run to be selected")
            await pane._slow()
            await wait_until(lambda: "heldout/ci_high" in pane.curves.runs["main"].series and not pane.curves.pending,
                             20, "the held-out rise drawn")
        studio_loop.run_until_complete(asyncio.wait_for(go(), 60))
        marked = {kind for _step, kind in pane.curves._marked}
        assert {"weight_warning", "saturated", "zero_spread_warning"} <= marked <= set(EVENT_KINDS) | {"collapse"}
        i = next(n for n, p in enumerate(pane.curves.panels) if "heldout/delta" in p.keys)
        band = pane.curves._bands[("main", i)]
        assert np.allclose(band.yData[:2], [-0.008, 0.011]) and np.allclose(band.yData[2:], [0.058, 0.031])
        # the newest interval in words too, as `runs show` prints it
        assert "+0.034 [+0.011, +0.058]" in pane.curves.plots[i].titleLabel.text
        pane.grab().save(str(artifacts / "training-pane-rise-900x600.png"))
    finally:
        pane.shutdown()
