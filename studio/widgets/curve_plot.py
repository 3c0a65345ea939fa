"""Live training curves with pyqtgraph: plots and curves are created once, then fed with setData.

`CurveBoard` lays out one plot per panel and redraws only the curves whose data changed, at most once
per timer tick (the pane drives it at ~10 Hz), within a time budget that counts the repaint its
setData calls cause (measured), so a board of 60 curves is brought up to date a few plots per tick
instead of in one long frame. Data and decimation: curve_data.py.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from studio.widgets.curve_data import (
    BAND_POINTS,
    MAX_POINTS,
    SeriesBuffer,
    decimate,
    nice_bounds,
    nice_ceil,
    visible,
)

ROW_MIN_HEIGHT = 170
AXIS_WIDTH, AXIS_HEIGHT = 52, 28  # px: room for "5.7612" / "20000" at the default tick font
# What a new curve costs after its setData, outside the paint the board measures: its legend entry's
# relayout and the plot's (measured ~1–2 ms a curve on 2 cores; counted high, it only spreads a load)
NEW_ITEM_MS = 3.0
RANGE_MS = 3.0   # what a plot's range change adds to its repaint (see _refit)
PALETTE = ("#3a7bd5", "#e4572e", "#17a398", "#f3a712", "#8e44ad", "#6c757d", "#d81159", "#2a9d8f")


@dataclass
class Panel:
    """One plot: a title and the metric keys (or key prefixes ending in '/') it draws."""

    title: str
    keys: tuple[str, ...]
    band: tuple[str, str] | None = None   # (mean key, std key) drawn as mean ± std
    markers: bool = False                  # a dot on each point (sparse series: one point per checkpoint)
    interval: bool = False                 # the band keys are (low, high): an interval, not mean ± std
    zero: bool = False                     # a line at y = 0, always in view (a rise: is it above zero?)
    names: tuple[tuple[str, str], ...] = ()  # legend names for keys (else the key without its prefix)


# The panels a GRPO run shows, in TRL's log-key vocabulary plus the runner's own keys.
DEFAULT_PANELS = (
    Panel("Reward (mean ± std)", ("reward",), band=("reward", "reward_std")),
    Panel("Components (mean)", ("rewards/",)),
    Panel("Held-out (rendered)", ("heldout/reward", "heldout/nonblank"), markers=True),
    # the paired rise over prompts against the first evaluation, its 95 % interval as the band, and the
    # independent signal's rise beside it (core/train/heldout_runner.py)
    Panel("Held-out rise (95 % CI)", ("heldout/delta", "heldout/independent_delta"),
          band=("heldout/ci_low", "heldout/ci_high"), markers=True, interval=True, zero=True,
          names=(("heldout/delta", "rubric, 95 % CI"), ("heldout/independent_delta", "independent"))),
    Panel("Diversity", ("diversity/",)),
    Panel("frac_reward_zero_std", ("frac_reward_zero_std",)),
    Panel("Completion length", ("completions/mean_length",)),
    Panel("KL", ("kl",)),
    Panel("Entropy", ("entropy",)),
    Panel("Step time (s)", ("step_time",)),
)


def panel_keys(panel: Panel, key: str) -> bool:
    """Whether `key` belongs on `panel` (exact key, or under a prefix ending in '/')."""
    for k in panel.keys:
        if k.endswith("/"):
            if key.startswith(k) and (k != "rewards/" or key.endswith("/mean")):
                return True
        elif key == k:
            return True
    return False


class RunCurves:
    """The buffers of one run (the main run or an overlay)."""

    def __init__(self, label: str):
        self.label = label
        self.series: dict[str, SeriesBuffer] = {}

    def add(self, batch_series: dict[str, tuple[list[int], list[float]]]) -> list[str]:
        """Append each key's new points; returns the keys in the batch's order (redraws follow it)."""
        for key, (steps, values) in batch_series.items():
            self.series.setdefault(key, SeriesBuffer()).extend(steps, values)
        return list(batch_series)


class _TimedView(pg.GraphicsLayoutWidget):
    """The plots' view, timing its own paints (the board budgets its redraws with them)."""

    def __init__(self) -> None:
        super().__init__()
        self.last_paint_ms = 0.0
        self.paints = 0

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        t0 = time.thread_time()  # CPU time: what a paint costs, not how long a busy machine made it wait
        super().paintEvent(event)
        self.last_paint_ms = (time.thread_time() - t0) * 1000
        self.paints += 1


class CurveBoard(QWidget):
    """A grid of pyqtgraph plots for one run, with an optional overlay run drawn dashed."""

    def __init__(self, panels: tuple[Panel, ...] = DEFAULT_PANELS, columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.panels = panels
        self.view = _TimedView()
        self.view.setMinimumSize(200, 160)
        # the plots keep a readable height; a small window scrolls instead of squashing them
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.plots: list[pg.PlotItem] = []
        self.columns = columns
        self._zoom: dict[int, tuple[float, float]] = {}   # plot index -> x range the user zoomed to
        # The board sets each unzoomed plot's range itself, rounded out to nice values (_targets):
        self._ranges: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}  # plot -> (x, y) set
        self._bounds: dict[tuple[str, int, str], tuple[float, float, float, float]] = {}  # item -> x0 x1 y0 y1
        self._bounds_changed = False
        self._stale: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}  # plot -> range due
        self._loading: set[str] = set()   # runs whose backlog is still being read (drawn once it is in)
        self.runs: dict[str, RunCurves] = {}       # "main" and "overlay"
        self._items: dict[tuple[str, int, str], pg.PlotCurveItem | pg.PlotDataItem] = {}
        self._bands: dict[tuple[str, int], pg.PlotCurveItem] = {}   # mean ± std as one closed polygon
        self._drawn: dict[tuple[str, int, str], int] = {}
        self._markers: list[tuple[pg.PlotItem, pg.InfiniteLine]] = []
        self._marked: set[tuple[int, str]] = set()
        # curves waiting for setData, oldest first: a key already waiting keeps its place, so a budgeted
        # redraw under a fast writer reaches every curve in turn instead of starving the last ones
        self._dirty: dict[str, None] = {}
        self._waiting_since: dict[str, float] = {}  # tag -> commit time of its oldest undrawn point
        self.latencies: list[float] = []            # ms from a point's commit to its curve's setData
        self.points_drawn = 0
        # paint ms of each plot, learned from the view's own paints (until then: ~1 ms a curve)
        self.paint_ms: dict[int, float] = {}
        self._touched: set[int] = set()   # plots changed since the view last painted
        self._paints_seen = 0
        for i, panel in enumerate(panels):
            plot = self.view.addPlot(row=i // columns, col=i % columns, title=panel.title)
            plot.setMinimumWidth(120)
            plot.setPreferredWidth(120)  # equal columns: a long title ("Reward (mean ± std)") would widen its own
            # no pyqtgraph downsampling or clip-to-view: the curves arrive decimated (decimate, visible),
            # and those options re-process every curve on each range change, i.e. on every live step
            # no grid: its translucent lines doubled the paint of a frame (~40 of 90 ms for 9 plots)
            # Fixed axis sizes: a tick label growing from "0.5" to "0.25" would otherwise relayout the
            # whole grid of plots, and a relayout repaints all of them (~90 ms) instead of one.
            plot.getAxis("left").setWidth(AXIS_WIDTH)
            plot.getAxis("bottom").setHeight(AXIS_HEIGHT)
            # Major ticks and one level of minor ones, both labelled (pyqtgraph's default adds a third,
            # finer level): the axes were ~70 % of a full repaint, and this cuts that repaint by ~30 %.
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setStyle(maxTickLevel=1, maxTextLevel=1)
            if panel.zero:
                plot.addItem(pg.InfiniteLine(pos=0.0, angle=0, movable=False,
                                             pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DotLine)))
            self._add_legend(plot)
            plot.getViewBox().sigRangeChangedManually.connect(lambda *_a, i=i: self._zoomed(i))
            plot.getViewBox().sigStateChanged.connect(lambda *_a, i=i: self._maybe_unzoomed(i))
            self.plots.append(plot)
        self.set_dark(False)

    @staticmethod
    def _add_legend(plot: pg.PlotItem) -> None:
        """The legend in the plot's own layout, under its x axis: beside the curves, never over them.
        PlotItem.addItem adds each named curve to `plot.legend`; it shows from two entries on (one
        curve is named by the plot's title)."""
        legend = pg.LegendItem(offset=None, labelTextSize="7pt", colCount=2, verSpacing=-6, horSpacing=8,
                               frame=False)
        # its entries must not widen the plot (the columns share the width equally): a narrow plot clips them
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        legend.setMinimumWidth(1)
        legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        plot.layout.addItem(legend, 4, 1)
        plot.legend = legend
        legend.setVisible(False)

    def _sync_legend(self, i: int) -> None:
        legend = self.plots[i].legend
        if legend is not None:
            legend.setVisible(len(legend.items) > 1)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt override)
        """Reflow the plots: as many columns as fit at ~250 px each (1–4); rows keep a readable height."""
        super().resizeEvent(event)
        columns = max(1, min(4, self.width() // 250))
        rows = -(-len(self.plots) // columns)
        self.view.setMinimumHeight(rows * ROW_MIN_HEIGHT)
        if columns != self.columns:
            self.columns = columns
            for plot in self.plots:
                self.view.ci.removeItem(plot)
            for i, plot in enumerate(self.plots):
                self.view.ci.addItem(plot, row=i // columns, col=i % columns)

    # -- data -----------------------------------------------------------------------------------
    def reset(self, which: str = "main", label: str = "") -> None:
        """Forget a run's curves (switching runs, or removing the overlay)."""
        gone = [k for k in self._items if k[0] == which]
        for i in {k[1] for k in gone}:
            legend = self.plots[i].legend
            if legend is not None:  # one relayout for all (removing 30 entries one by one took ~0.5 s)
                kept = [(item, item.name()) for t, item in self._items.items() if t[1] == i and t[0] != which]
                legend.clear()
                for item, name in kept:
                    legend.addItem(item, name)
                self._sync_legend(i)
        for key in gone:
            item = self._items.pop(key)
            self.plots[key[1]].removeItem(item)
            self._drawn.pop(key, None)
        for key in [k for k in self._bands if k[0] == which]:
            self.plots[key[1]].removeItem(self._bands.pop(key))
            if which == "main" and self.panels[key[1]].interval:
                self._title(key[1], self.panels[key[1]].title)
        for key in [k for k in self._bounds if k[0] == which]:
            del self._bounds[key]
        self._bounds_changed = True  # removing a longer overlay gives its room back on the next redraw
        self._loading.discard(which)
        if which == "main":
            for plot, line in self._markers:
                plot.removeItem(line)
            self._markers.clear()
            self._marked.clear()
        for tag in [t for t in self._waiting_since if t.startswith(which + "\0")]:
            del self._waiting_since[tag]
        self.runs.pop(which, None)
        if label:
            self.runs[which] = RunCurves(label)

    def add(self, batch_series: dict[str, tuple[list[int], list[float]]], which: str = "main",
            committed: dict[str, float] | None = None, more: bool = False) -> None:
        """New points for a run; drawn on the next `redraw()`. `committed`: per key, the commit time
        (time.time()) of its oldest new point; when the curve is drawn, now − that lands in `latencies`.
        `more`: a chunk of a backlog with more to come; the run's curves wait for the last chunk."""
        (self._loading.add if more else self._loading.discard)(which)
        run = self.runs.setdefault(which, RunCurves(which))
        for key in run.add(batch_series):
            tag = f"{which}\0{key}"
            self._dirty.setdefault(tag)
            if committed and key in committed:
                self._waiting_since.setdefault(tag, committed[key])

    def mark(self, step: int | None, kind: str, message: str) -> None:
        """A warning (collapse, saturated, correlated…) as a vertical line at its step on every plot."""
        if step is None or (step, kind) in self._marked:
            return
        self._marked.add((step, kind))
        position = 0.92 - 0.12 * ((len(self._marked) - 1) % 3)  # staggered: labels of close steps do not overlap
        for plot in self.plots:
            line = pg.InfiniteLine(pos=step, angle=90, movable=False,
                                   pen=pg.mkPen("#d62828", width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                                   label=kind if plot is self.plots[0] else None,
                                   labelOpts={"position": position, "color": "#d62828"})
            line.setToolTip(f"step {step}: {message}")
            plot.addItem(line)
            self._markers.append((plot, line))

    # -- zoom -----------------------------------------------------------------------------------
    def _zoomed(self, i: int) -> None:
        """The user zoomed or panned plot i: decimate its curves over the visible steps only."""
        lo, hi = self.plots[i].getViewBox().viewRange()[0]
        self._zoom[i] = (lo, hi)
        self._stale.pop(i, None)  # the board no longer moves this plot's range
        self._redraw_plot(i)

    def _maybe_unzoomed(self, i: int) -> None:
        if not self.plots[i].getViewBox().autoRangeEnabled()[0]:
            return
        # "auto range" (the A button): back to the whole run, the range kept by the board again
        zoomed = self._zoom.pop(i, None) is not None
        self._ranges.pop(i, None)
        target = self._targets().get(i)
        if target is not None:
            self._set_range(i, target)
        if zoomed:
            self._redraw_plot(i)

    def _redraw_plot(self, i: int) -> None:
        for tag in [t for t in self._items if t[1] == i]:
            self._drawn.pop(tag, None)
            self._dirty.setdefault(f"{tag[0]}\0{tag[2]}")
        for which, j in self._bands:
            if j == i and self.panels[i].band:
                self._dirty.setdefault(f"{which}\0{self.panels[i].band[0]}")
        self.redraw()

    # -- ranges ---------------------------------------------------------------------------------
    def _targets(self) -> dict[int, tuple[tuple[float, float], tuple[float, float]]]:
        """The (x, y) range each unzoomed plot with data should show.

        x: from the first step drawn to the newest rounded up (`nice_ceil`), the same on every plot;
        y: the plot's drawn values rounded out (`nice_bounds`). Such a range moves a few times a decade,
        not with every point: a range change re-lays-out the plot's axes, which was most of a live
        frame's paint when pyqtgraph's auto-range followed every step and every loaded chunk (its
        bounds pass over every item in each paint was the rest)."""
        per_plot: dict[int, list[tuple[float, float, float, float]]] = {}
        for tag, b in self._bounds.items():
            if self._shown(tag):
                per_plot.setdefault(tag[1], []).append(b)
        if not per_plot:
            return {}
        first = min(b[0] for here in per_plot.values() for b in here)
        newest = max(b[1] for here in per_plot.values() for b in here)
        right = nice_ceil(newest + max(1.0, 0.01 * newest))
        x_range = (first - 0.02 * (right - first), right)  # a point on the first step is not cut in half
        targets = {}
        for i in set(range(len(self.plots))) - set(self._zoom):
            here = per_plot.get(i)
            # a plot with nothing yet (held-out before the first checkpoint) still shows the run's steps
            low, high = (min(b[2] for b in here), max(b[3] for b in here)) if here else (0.0, 1.0)
            if self.panels[i].zero:
                low, high = min(low, 0.0), max(high, 0.0)
            y_range = nice_bounds(low, high)
            targets[i] = (x_range, y_range)
        return targets

    def _set_range(self, i: int, target: tuple[tuple[float, float], tuple[float, float]]) -> None:
        self._ranges[i] = target
        self._stale.pop(i, None)
        self._touched.add(i)
        self.plots[i].getViewBox().setRange(xRange=target[0], yRange=target[1], padding=0)

    def _refit(self, budget_ms: float | None, start: float, spent_ms: float) -> None:
        """Bring plot ranges to their targets while the budget lasts (`spent_ms`: what this tick's
        curves will cost beyond their CPU so far). A range change costs ~3 ms a plot on top of its
        repaint (its axes, and the cached pixmaps of the overlay's curves, are redrawn): nine at once
        were a 35 ms frame, so they are spread over ticks, plots repainting anyway first."""
        if self._bounds_changed:
            self._bounds_changed = False
            self._stale = {i: t for i, t in self._targets().items() if self._ranges.get(i) != t}
        changed = 0
        for i in sorted(self._stale, key=lambda i: i not in self._touched):  # a zoom takes its plot out
            if budget_ms is not None and changed:  # one a tick at least: a live run never starves them
                paint = sum(self._paint_estimate(j) for j in self._touched | {i})
                if (time.thread_time() - start) * 1000 + spent_ms + paint + RANGE_MS * (changed + 1) > budget_ms:
                    return
            self._set_range(i, self._stale[i])
            changed += 1

    def _shown(self, tag: tuple[str, int, str]) -> bool:
        item = self._bands.get(tag[:2]) if tag[2] == "\0band" else self._items.get(tag)
        return item is not None and item.isVisible()  # a curve hidden from its legend leaves the range

    def _bound(self, tag: tuple[str, int, str], x: np.ndarray, y: np.ndarray) -> None:
        """Remember the extent of what an item now draws (the ranges follow what is on screen)."""
        finite = np.isfinite(y)
        if finite.any():
            self._bounds[tag] = (float(x[0]), float(x[-1]), float(y[finite].min()), float(y[finite].max()))
        else:
            self._bounds.pop(tag, None)
        self._bounds_changed = True

    # -- drawing --------------------------------------------------------------------------------
    def redraw(self, budget_ms: float | None = None) -> int:
        """Push changed buffers to their curves with setData, then bring the plots' ranges along;
        returns how many curves were updated.

        With `budget_ms`, stops once the setData time so far plus the repaint it will cause (the
        measured paint time per plot × plots touched) would pass the budget, and leaves the rest
        dirty for the next call (the pane's 10 Hz tick): neither a 600,000-row backlog nor 60 live
        curves freeze the GUI in one frame. A run being loaded (`add(..., more=True)`) waits until its
        last chunk is in: it is drawn once, not once per chunk.
        """
        self._learn_paint_cost()
        # the main run first (a live run's newest points), then the overlay; oldest first within each
        dirty, held = [], []
        for tag in sorted(self._dirty, key=lambda tag: not tag.startswith("main\0")):
            (held if tag.split("\0", 1)[0] in self._loading else dirty).append(tag)
        self._dirty = dict.fromkeys(held)
        updated = created = 0
        start = time.thread_time()  # GUI-thread CPU: the work this tick does, whatever else runs
        for n, tag in enumerate(dirty):
            which, key = tag.split("\0", 1)
            run = self.runs.get(which)
            if run is None or key not in run.series:
                continue
            plots = {i for i, panel in enumerate(self.panels)
                     if panel_keys(panel, key) or (panel.band and key in panel.band)}
            creates = sum(1 for i in plots if panel_keys(self.panels[i], key) and (which, i, key) not in self._items)
            if budget_ms is not None and updated:
                paint = sum(self._paint_estimate(i) for i in self._touched | plots)
                paint += NEW_ITEM_MS * (created + creates)
                if (time.thread_time() - start) * 1000 + paint > budget_ms:
                    # the rest keep their turn ahead of anything that changes meanwhile
                    self._dirty = dict.fromkeys(dirty[n:]) | self._dirty
                    break
            for i in sorted(plots):
                panel = self.panels[i]
                if panel.band and key in panel.band:
                    updated += self._draw_band(i, panel, run, which)
                if panel_keys(panel, key):
                    updated += self._draw_curve(i, which, key, run)
            self._touched |= plots
            created += creates
            since = self._waiting_since.pop(tag, None)
            if since is not None:
                self.latencies.append((time.time() - since) * 1000)
                del self.latencies[:-1000]
        self._refit(budget_ms, start, NEW_ITEM_MS * created)
        return updated

    def _paint_estimate(self, i: int) -> float:
        # a plot never painted with data lays out its axes and legend first: ~10 ms, plus ~1 ms a curve
        return self.paint_ms.get(i, 10.0 + sum(1 for t in self._items if t[1] == i))

    def _learn_paint_cost(self) -> None:
        """After a paint that followed our setData calls, share its measured time among the plots
        changed before it (in proportion to their estimates) and move each estimate towards its share."""
        if self.view.paints != self._paints_seen:
            self._paints_seen = self.view.paints
            if self._touched:
                guesses = {i: self._paint_estimate(i) for i in self._touched}
                total = sum(guesses.values()) or 1.0
                for i, guess in guesses.items():
                    share = self.view.last_paint_ms * guess / total
                    self.paint_ms[i] = 0.6 * guess + 0.4 * share
                self._touched = set()

    def _max_points(self, i: int) -> int:
        """Two points per pixel of plot i's width (min/max per column), within MAX_POINTS."""
        return max(200, min(MAX_POINTS, 2 * int(self.plots[i].getViewBox().width())))

    def _pen(self, which: str, index: int) -> pg.QtGui.QPen:
        colour = PALETTE[index % len(PALETTE)]
        style = pg.QtCore.Qt.PenStyle.DashLine if which == "overlay" else pg.QtCore.Qt.PenStyle.SolidLine
        return pg.mkPen(colour, width=1, style=style)  # width 1 = cosmetic: wide pens are slow to paint

    def _draw_curve(self, i: int, which: str, key: str, run: RunCurves) -> int:
        buf = run.series[key]
        tag = (which, i, key)
        item = self._items.get(tag)
        if item is None:
            n_here = sum(1 for t in self._items if t[0] == which and t[1] == i)
            name = dict(self.panels[i].names).get(key) or key.removeprefix("rewards/").removesuffix("/mean").removeprefix("heldout/").removeprefix("diversity/")
            if which == "overlay":
                name = f"{name} ({run.label})"
            pen = self._pen(which, n_here)
            if self.panels[i].markers:  # a few points: dots, so a single checkpoint shows
                item = pg.PlotDataItem(pen=pen, name=name, connect="finite", symbol="o", symbolSize=5,
                                       symbolPen=None, symbolBrush=pen.color(), dynamicRangeLimit=None)
            else:  # a bare PlotCurveItem: PlotDataItem re-processed its data on every range change
                item = pg.PlotCurveItem(pen=pen, name=name, connect="finite")
                if which == "overlay":  # an earlier run rarely changes: repainting it is a pixmap blit
                    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plots[i].addItem(item)  # also adds it to the legend
            self._items[tag] = item
            self._sync_legend(i)
        if self._drawn.get(tag) == buf.version:
            return 0
        x, y = decimate(*visible(*buf.data(), self._zoom.get(i)), self._max_points(i))
        item.setData(x, y, connect="finite")
        self._bound(tag, x, y)
        self._drawn[tag] = buf.version
        self.points_drawn += len(x)
        return 1

    def _draw_band(self, i: int, panel: Panel, run: RunCurves, which: str) -> int:
        mean_key, std_key = panel.band
        mean, std = run.series.get(mean_key), run.series.get(std_key)
        if mean is None or std is None:
            return 0
        x, m = mean.data()
        sx, s = std.data()
        if len(sx) != len(x) or (len(x) and (sx[-1] != x[-1])):
            s = np.interp(x, sx, s) if len(sx) else np.zeros_like(m)
        if panel.interval:  # (low, high) as centre ± half-width: one polygon path below for both kinds
            m, s = (m + s) / 2, (s - m) / 2
        band = self._bands.get((which, i))
        if band is None:
            colour = pg.mkColor(PALETTE[0] if which == "main" else PALETTE[5])
            colour.setAlpha(50)
            # one closed polygon (lower edge, then the upper edge backwards): a single setData and path,
            # where a FillBetweenItem rebuilt its path on each of its two curves' changes
            band = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1), brush=pg.mkBrush(colour), fillLevel="enclosed")
            self.plots[i].addItem(band)
            self._bands[(which, i)] = band
        x, m, s = (*visible(x, m, self._zoom.get(i)), visible(x, s, self._zoom.get(i))[1])
        lo_x, lo = decimate(x, m - s, BAND_POINTS, reduce="min")
        hi_x, hi = decimate(x, m + s, BAND_POINTS, reduce="max")
        px, py = np.concatenate([lo_x, hi_x[::-1]]), np.concatenate([lo, hi[::-1]])
        keep = np.isfinite(py)  # a step without a reward (NaN) would break the polygon: leave it out
        band.setData(px[keep], py[keep])
        self._bound((which, i, "\0band"), lo_x, py[keep])
        delta = self.latest(panel.keys[0])
        if panel.interval and which == "main" and delta is not None and len(lo) and np.isfinite(lo[-1] + hi[-1]):
            # the newest interval in words, the figures `runs show` prints (a band alone is read by eye
            # only), on a second line: a longer one would widen the plot's column
            self._title(i, f"{panel.title}<br>{delta:+.3f} [{lo[-1]:+.3f}, {hi[-1]:+.3f}]")
        return 1

    def _title(self, i: int, text: str) -> None:
        self.plots[i].setTitle(text, color=self._fg)

    def set_dark(self, dark: bool) -> None:
        """Follow the studio's theme: background, axes and titles."""
        fg = self._fg = "#d0d0d0" if dark else "#303030"
        self.view.setBackground("#1e1e1e" if dark else "#ffffff")
        for plot in self.plots:
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(fg)
                axis.setTextPen(fg)
            plot.titleLabel.setText(plot.titleLabel.text, color=fg)

    @property
    def pending(self) -> bool:
        """Curves still waiting for a redraw (a budgeted redraw left some for the next tick)."""
        return bool(self._dirty or self._stale or self._bounds_changed)

    def is_loading(self, which: str = "main") -> bool:
        """Whether a run's backlog is still being read (its curves wait for the last chunk)."""
        return which in self._loading

    def points(self, which: str = "main") -> int:
        """How many points a run has (read so far), over all its keys."""
        return sum(buf.n for buf in self.runs.get(which, RunCurves("")).series.values())

    def latest(self, key: str, which: str = "main") -> float | None:
        """The newest value of `key` (for the pane's summary line)."""
        buf = self.runs.get(which, RunCurves("")).series.get(key)
        value = buf.last() if buf else None
        return None if value is None or math.isnan(value) else value
