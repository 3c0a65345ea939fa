"""The curve board keeps its plots' ranges itself: they hold what is drawn, move in nice steps, spread
their changes over ticks, leave a zoomed plot alone, and a run being loaded is drawn once it is in."""
from __future__ import annotations

import numpy as np
import pytest

from studio.widgets.curve_data import nice_bounds, nice_ceil
from studio.widgets.curve_plot import CurveBoard

KEYS = ["reward", "reward_std", "kl", "entropy", "step_time", "frac_reward_zero_std", "completions/mean_length",
        "heldout/reward", "diversity/image", "rewards/gate/mean", "rewards/judge/mean"]


@pytest.fixture
def board(qtbot):
    b = CurveBoard()
    qtbot.addWidget(b)
    b.resize(1000, 700)
    b.show()
    return b


def points(first: int, last: int, lo: float = 0.2, hi: float = 0.8, seed: int = 0) -> dict:
    x = np.arange(first, last, dtype=float)
    rng = np.random.default_rng(seed)
    return {k: (x, lo + (hi - lo) * rng.random(len(x))) for k in KEYS}


def settle(board: CurveBoard, budget_ms: float | None = None) -> int:
    ticks = 0
    while board.pending:
        board.redraw(budget_ms)
        ticks += 1
        assert ticks < 500, "the board never settled"
    return ticks


def ranges(board: CurveBoard) -> list:
    return [tuple(map(tuple, p.getViewBox().viewRange())) for p in board.plots]


def assert_ranges_hold_what_is_drawn(board: CurveBoard) -> None:
    items = list(board._items.items()) + [((w, i, "band"), band) for (w, i), band in board._bands.items()]
    checked = 0
    for (_which, i, key), item in items:
        x, y = item.xData, item.yData
        if x is None or not len(x) or i in board._zoom:
            continue
        (x0, x1), (y0, y1) = board.plots[i].getViewBox().viewRange()
        y = y[np.isfinite(y)]
        assert x0 <= x[0] and x[-1] < x1, (key, (x0, x1), (x[0], x[-1]))
        assert y0 <= y.min() and y.max() <= y1, (key, (y0, y1), (y.min(), y.max()))
        checked += 1
    assert checked


def test_nice_values():
    assert [nice_ceil(v) for v in (7, 1_001, 20_201, 0)] == [7.0, 1_250.0, 22_500.0, 1.0]
    lo, hi = nice_bounds(0.12, 0.87)
    assert (lo, hi) == pytest.approx((0.1, 0.9))
    lo, hi = nice_bounds(0.5, 0.5)               # flat: a band around it
    assert lo < 0.5 < hi and hi - lo == pytest.approx(0.11)
    lo, hi = nice_bounds(5.76105, 5.76115)       # varying in the 5th digit: shown, in a readable span
    assert 7e-4 > hi - lo >= 5.7e-4 and lo <= 5.76105 and hi >= 5.76115


def test_ranges_hold_the_curves_and_stay_put_while_points_move_inside(board):
    board.add(points(0, 101))
    settle(board)
    assert_ranges_hold_what_is_drawn(board)
    before = ranges(board)
    assert before[0][0] == pytest.approx((-2.5, 125.0))          # steps 0..100 (+1 %), rounded up to a quarter of a decade
    for step in range(101, 111):                 # live steps inside the range: nothing moves
        board.add({k: ([float(step)], [0.5]) for k in KEYS})
        settle(board)
    assert ranges(board) == before
    board.add({"kl": ([111.0], [5.0])})          # a spike: the KL plot grows to hold it, others stay
    settle(board)
    after = ranges(board)
    kl = next(i for i, p in enumerate(board.panels) if p.keys == ("kl",))
    assert after[kl][1][1] >= 5.0 and [r for i, r in enumerate(after) if i != kl] == \
        [r for i, r in enumerate(before) if i != kl]
    assert_ranges_hold_what_is_drawn(board)


def test_range_changes_spread_over_ticks_and_all_land(board):
    board.add(points(0, 50))
    settle(board)
    board.paint_ms = dict.fromkeys(range(len(board.panels)), 2.0)
    before = ranges(board)
    board.add({k: ([5_000.0], [0.5]) for k in KEYS})   # every plot's x range must change
    board.redraw(budget_ms=12)
    first_tick = sum(a[0] != b[0] for a, b in zip(ranges(board), before, strict=True))
    ticks = 1 + settle(board, budget_ms=12)
    plotted = len({i for _w, i, _k in board._items})
    assert 0 < first_tick < plotted and ticks > 1      # some plots this tick, the rest after
    assert all(r[0] == pytest.approx((-105.0, 5_250.0)) for r in ranges(board))   # the empty plots too
    assert_ranges_hold_what_is_drawn(board)


def test_a_zoom_is_left_alone_and_auto_range_gives_the_plot_back(board):
    board.add(points(0, 200))
    settle(board)
    view = board.plots[0].getViewBox()
    view.setRange(xRange=(50, 80), padding=0)          # the user drags / wheels: pyqtgraph says so
    view.sigRangeChangedManually.emit(view.state["mouseEnabled"])
    settle(board)
    board.add(points(200, 2_000, seed=1))
    settle(board)
    assert tuple(view.viewRange()[0]) == pytest.approx((50, 80))   # kept, while the others grew
    assert ranges(board)[1][0] == pytest.approx((-45.0, 2_250.0))
    drawn = board._items[("main", 0, "reward")].xData
    assert drawn[0] <= 50 and drawn[-1] >= 80 and len(drawn) < 200   # decimated over the zoom only
    view.enableAutoRange()                             # the "A" button
    settle(board)
    assert tuple(view.viewRange()[0]) == pytest.approx((-45.0, 2_250.0))
    assert_ranges_hold_what_is_drawn(board)


def test_a_run_being_loaded_is_drawn_once_its_last_chunk_is_in(board):
    board.add(points(0, 1_000), "overlay", more=True)
    board.add(points(1_000, 2_000), "overlay", more=True)
    settle_ticks = 0
    while settle_ticks < 5:
        board.redraw(30)
        settle_ticks += 1
    assert not board._items and board.pending           # held, not drawn chunk by chunk
    assert board.is_loading("overlay") and board.points("overlay") == 2_000 * len(KEYS)
    board.add({}, "overlay", more=False)                  # the last poll came back short
    settle(board, 30)
    reward = board._items[("overlay", 0, "reward")]
    assert reward.xData[-1] == 1_999 and not board.pending and not board.is_loading("overlay")
    board.reset("overlay")
    assert not board._items and not board._bounds


def test_columns_share_the_width_whatever_their_titles(qtbot):
    board = CurveBoard()
    qtbot.addWidget(board)
    board.resize(1030, 700)   # four columns; "Reward (mean ± std)" and "Diversity" head two of them
    board.show()
    qtbot.waitUntil(lambda: board.columns == 4 and board.plots[0].getViewBox().width() > 0)
    qtbot.wait(50)
    widths = [round(p.getViewBox().width()) for p in board.plots]
    assert max(widths) - min(widths) <= 2, widths
