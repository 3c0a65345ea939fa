"""Curve data without Qt: growing per-metric buffers, and the decimation that keeps plots cheap to paint.

`SeriesBuffer` accumulates (step, value) points in growing numpy arrays (a replayed step after a resume
replaces its point). `decimate` reduces a series to about two points per pixel of the plot it is drawn
on (each bucket's min and max, so spikes survive); `visible` slices a zoomed range first.
"""
from __future__ import annotations

import math

import numpy as np

# The most points handed to pyqtgraph per curve (the board asks for two per pixel of its plot, up to
# this): a 20,000-step run is drawn as the min and max of a few hundred buckets (peak decimation keeps
# every spike); painting 20,000-point paths and a 40,000-point band took ~1 s a frame. A band (a
# faint fill) needs fewer.
MAX_POINTS = 800
BAND_POINTS = 300


def decimate(x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS, reduce: str = "peak",
             ) -> tuple[np.ndarray, np.ndarray]:
    """At most ~max_points points that look like (x, y) on a plot a few hundred pixels wide.

    `peak`: each bucket's min and max in step order (spikes survive); `min` / `max`: one point per
    bucket (the lower / upper edge of a band). NaN gaps stay gaps only at full resolution.
    """
    n = len(x)
    if n <= max_points:
        return x, y
    per = -(-n // (max_points // 2 if reduce == "peak" else max_points))
    m = n // per
    xs, ys = x[: m * per].reshape(m, per), y[: m * per].reshape(m, per)
    with np.errstate(invalid="ignore"):
        if reduce == "min":
            out_x, out_y = xs[:, 0], np.fmin.reduce(ys, axis=1)  # NaN only where a bucket is all NaN
        elif reduce == "max":
            out_x, out_y = xs[:, 0], np.fmax.reduce(ys, axis=1)
        else:
            gaps = np.isnan(ys)
            if gaps.any():
                lo_i, hi_i = np.where(gaps, np.inf, ys).argmin(axis=1), np.where(gaps, -np.inf, ys).argmax(axis=1)
            else:  # the usual case: no copies (this runs for every curve on every live step)
                lo_i, hi_i = ys.argmin(axis=1), ys.argmax(axis=1)
            first, second = np.minimum(lo_i, hi_i), np.maximum(lo_i, hi_i)
            rows = np.arange(m)
            out_x = np.column_stack([xs[rows, first], xs[rows, second]]).ravel()
            out_y = np.column_stack([ys[rows, first], ys[rows, second]]).ravel()
    if m * per < n:  # the tail that did not fill a bucket, as is (the newest steps stay exact)
        out_x, out_y = np.concatenate([out_x, x[m * per:]]), np.concatenate([out_y, y[m * per:]])
    elif out_x[-1] != x[-1]:  # the newest step is always drawn as it is
        out_x, out_y = np.append(out_x, x[-1]), np.append(out_y, y[-1])
    return out_x, out_y


def nice_ceil(value: float) -> float:
    """`value` rounded up to a quarter of its decade: 7 -> 7.5, 1,001 -> 1,250, 20,201 -> 22,500."""
    if value <= 0:
        return 1.0
    unit = 10 ** math.floor(math.log10(value)) / 4
    return math.ceil(value / unit) * unit


def nice_bounds(lo: float, hi: float) -> tuple[float, float]:
    """(lo, hi) widened by 1 % a side, then rounded out to a 1-2-5 unit of at least 1/25 of the span:
    0.12..0.87 -> (0.1, 0.9). Points moving inside those bounds leave them as they are. A span under
    0.01 % of the values' size is widened to that (the axis labels would need more digits than fit)."""
    span = hi - lo
    # a flat curve gets a band of 20 % around it; one varying in its 6th digit 0.01 % (ticks of 6 digits)
    least = (0.2 if span == 0 else 1e-4) * max(abs(lo), abs(hi)) or 1.0
    if span < least:
        mid = (lo + hi) / 2
        lo, hi, span = mid - least / 2, mid + least / 2, least
    lo, hi = lo - 0.01 * span, hi + 0.01 * span
    raw = (hi - lo) / 25
    unit = 10 ** math.floor(math.log10(raw))
    unit *= next((m for m in (1, 2, 5) if unit * m >= raw), 10)
    return math.floor(lo / unit) * unit, math.ceil(hi / unit) * unit


def visible(x: np.ndarray, y: np.ndarray, x_range: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """The points inside a zoomed x range (plus one on each side so lines reach the edges)."""
    if x_range is None or not len(x):
        return x, y
    lo = max(0, int(np.searchsorted(x, x_range[0])) - 1)
    hi = min(len(x), int(np.searchsorted(x, x_range[1], side="right")) + 1)
    return x[lo:hi], y[lo:hi]
class SeriesBuffer:
    """Points of one metric: appended in step order, replaced when a step comes again."""

    def __init__(self) -> None:
        self.x = np.empty(256)
        self.y = np.empty(256)
        self.n = 0
        self.version = 0

    def extend(self, steps, values) -> None:  # noqa: ANN001 (sequences or arrays)
        xs = np.asarray(steps, dtype=float)
        if len(xs) and (self.n == 0 or xs[0] > self.x[self.n - 1]) and (len(xs) < 2 or np.all(np.diff(xs) > 0)):
            # the common case (a live run's new steps): one block copy, no Python loop on the GUI thread
            need = self.n + len(xs)
            if need > len(self.x):
                size = max(need, 2 * len(self.x))
                self.x, self.y = np.resize(self.x, size), np.resize(self.y, size)
            self.x[self.n:need], self.y[self.n:need] = xs, np.asarray(values, dtype=float)
            self.n = need
            self.version += 1
            return
        for s, v in zip(xs.tolist(), np.asarray(values, dtype=float).tolist(), strict=True):
            if self.n and s <= self.x[self.n - 1]:
                hit = np.searchsorted(self.x[: self.n], s)
                if hit < self.n and self.x[hit] == s:
                    self.y[hit] = v
                    continue
                # an older step that never arrived: insert in order (rare: only after a resume)
                self.x = np.insert(self.x[: self.n], hit, s)
                self.y = np.insert(self.y[: self.n], hit, v)
                self.n += 1
                continue
            if self.n == len(self.x):
                self.x = np.resize(self.x, self.n * 2)
                self.y = np.resize(self.y, self.n * 2)
            self.x[self.n], self.y[self.n] = s, v
            self.n += 1
        self.version += 1

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.n], self.y[: self.n]

    def last(self) -> float | None:
        return float(self.y[self.n - 1]) if self.n else None
