"""The Rubric pane's numbers, without Qt: a scored sample of rated renders, re-combined per weight change.

A sample is scored once with every component on (gates open, nothing skipped), so moving a slider
or toggling a gate only re-combines cached values with `Rubric.combine` (the rule training uses),
the paintings of one prompt forming a group, under the sliders' weights and gates.

A picture with no stored render (imported, synthetic) has no brush counts, so the components that read
them (structure's gate, brush_variety) are unmeasured and the rule gives it no total. The pane still
ranks it: where the rubric makes no total for such a picture, `combine` takes the total of the same
rubric without those components (`without_render_counts`), and the pane's banner says which ones.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace

import numpy as np

from core.pool.demo import strip_demo
from core.pool.pool import PoolImage, RatingPool
from core.reward.diagnostics import diagnose, spearman
from core.reward.learned.pairs import TIER_RANK
from core.reward.registry import component_info
from core.reward.rubric import Rubric


@dataclass
class Setting:
    """What the sliders and toggles say for one component."""

    weight: float
    gate: bool


@dataclass
class ScoredSample:
    """Rated images and their component values (n × c, NaN = not measured)."""

    images: list[PoolImage]
    names: list[str]
    values: np.ndarray
    notes: list[str] = field(default_factory=list)
    correlation: np.ndarray | None = None  # component × component Spearman, filled off the GUI thread
    rubric: Rubric | None = None           # the preset the sliders start from (its judges, params, names)
    uncounted: np.ndarray | None = None    # (n,) bool: no stored render says what it counted (None: all did)

    @property
    def prompts(self) -> list[str]:
        """Each image's prompt as scored: the groups `Rubric.combine` masks over."""
        return [strip_demo(im.prompt) or "" for im in self.images]

    @property
    def tiers(self) -> np.ndarray:
        return np.array([TIER_RANK.get(im.tier or "", np.nan) for im in self.images], dtype=float)


def pick_sample(pool: RatingPool, n: int = 120, seed: int = 0) -> list[PoolImage]:
    """Up to n rated images, the same share from each tier (so a ranking has something to order)."""
    by_tier = {t: pool.images(tier=t) for t in TIER_RANK}
    rng = random.Random(seed)
    per = max(1, math.ceil(n / max(1, sum(1 for v in by_tier.values() if v))))
    out: list[PoolImage] = []
    for images in by_tier.values():
        out += rng.sample(images, min(per, len(images)))
    rng.shuffle(out)
    return out[:n]


def open_rubric(rubric: Rubric) -> Rubric:
    """A copy that measures every component on every image: no gates, every weight positive."""
    specs = [replace(s, gate=False, weight=max(s.weight, 1.0)) for s in rubric.specs]
    return replace(rubric, specs=specs, name=rubric.name + " (all components)")


def render_count_components(rubric: Rubric) -> list[str]:
    """Weighted or gating components of `rubric` that read what the render counted (render.brush_calls)."""
    return [s.name for s in rubric.specs if (s.weight > 0 or s.gate) and component_info(s.fn).get("render_counts")]


def without_render_counts(rubric: Rubric) -> Rubric:
    """The same rubric with the components that read the render's counts left out (weight 0, no gate)."""
    left_out = render_count_components(rubric)
    return rubric.with_settings(dict.fromkeys(left_out, 0.0), dict.fromkeys(left_out, False))


def combine(sample: ScoredSample, settings: dict[str, Setting]) -> np.ndarray:
    """Totals (n,) under `settings`, NaN where there is none: `Rubric.combine` over the cached values; a
    picture with no stored render that gets no total takes the one without the render's counts."""
    if sample.rubric is None:
        raise ValueError("the sample was scored without its rubric; score it with score_sample.")
    known = {n: settings[n] for n in sample.names if n in settings}
    rubric = sample.rubric.with_settings({n: st.weight for n, st in known.items()},
                                         {n: st.gate for n, st in known.items()})
    totals = rubric.combine(sample.values, sample.prompts, names=sample.names)
    if sample.uncounted is None or not render_count_components(rubric):
        return totals
    # Only where the full rubric made no total: a gate it measured closed without a render (code that never
    # names brush, a blank page) keeps its 0, and a picture with a stored render keeps the full rubric.
    fill = sample.uncounted & np.isnan(totals)
    if not fill.any():
        return totals
    reduced = without_render_counts(rubric).combine(sample.values, sample.prompts, names=sample.names)
    return np.where(fill, reduced, totals)


def correlation_matrix(sample: ScoredSample) -> np.ndarray:
    """Spearman correlation between components over the sample (c × c, NaN where undefined)."""
    c = len(sample.names)
    out = np.full((c, c), np.nan)
    for i in range(c):
        for j in range(i, c):
            rho = 1.0 if i == j else spearman(sample.values[:, i], sample.values[:, j])
            out[i, j] = out[j, i] = np.nan if rho is None else rho
    return out


def diagnosis(sample: ScoredSample, settings: dict[str, Setting]) -> dict:
    """The reward engine's diagnostics over the sample, grouped by colour group (one 'step')."""
    weighted = [n for n in sample.names if settings.get(n) and settings[n].weight > 0]
    if not weighted or not len(sample.images):
        return {"correlated": [], "saturated": [], "effective": {}, "warnings": []}
    rows = []
    for im, row in zip(sample.images, sample.values, strict=True):
        r = {"step": 0, "group": im.colour_group}
        r.update({n: (None if math.isnan(x) else float(x)) for n, x in zip(sample.names, row, strict=True)
                  if n in weighted})
        rows.append(r)
    try:
        return diagnose(rows, {n: settings[n].weight for n in weighted}).to_dict()
    except ValueError:  # no numeric column at all: every value was missing
        return {"correlated": [], "saturated": [], "effective": {}, "warnings": []}
