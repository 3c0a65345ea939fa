"""The Training pane's held-out rise: the paired delta per evaluation with its 95 % interval as a band."""
from __future__ import annotations

import numpy as np

from studio.widgets.curve_plot import CurveBoard


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
