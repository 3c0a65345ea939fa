"""Craft: whether the marks of a painting hold together, read from the image alone.

A cluster of random short strokes (the cheapest way to lay the prompt's colour on paper) differs from a
painting in two ways a 128-px copy shows, whatever the colours:
- its marks point every which way: the local orientation *coherence* of the ink (structure tensor of
  the ink map, weighted by edge strength) is low; outlines, hatching, washes and grass strokes agree
  with their neighbours, noise and scattered dashes do not;
- its ink falls apart into crumbs: little of it lies in *parts* (connected pieces of the figure) of at
  least MIN_PART pixels; washes, shapes and continuous lines are such parts.
Calibrated on the starters, the procedural corpus and tests/reward/cheats/ (see the preset's comment).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from core.reward.imagestats import LAYOUT_DELTA_E, _paper

MIN_PART = 12            # pixels of the 128-px copy (~0.07 % of it): smaller pieces are crumbs
GRADIENT_FLOOR = 2.0     # ΔE per pixel: weaker gradients are paper grain, not marks
TENSOR_SIGMA = 2.0       # px of the 128-px copy (~8 px at 512): the neighbourhood whose marks must agree


@dataclass(frozen=True)
class CraftStats:
    """What the craft component reads from one painting."""

    coherence: float   # 0 (orientations at random) .. 1 (every mark agrees with its neighbours)
    cohesion: float    # share of the figure in parts of at least MIN_PART pixels
    parts: int         # connected pieces of the figure (8-connected)
    figure_share: float


def craft_stats(lab: np.ndarray) -> CraftStats:
    """Measure a painting's 128-px Lab copy (imagestats.layout_lab, the layout statistics' copy)."""
    ink = np.linalg.norm(lab - _paper(lab), axis=-1)
    figure = ink > LAYOUT_DELTA_E
    labels, parts = ndimage.label(figure, structure=np.ones((3, 3), dtype=bool))
    sizes = np.bincount(labels.ravel())[1:]
    area = int(figure.sum())
    cohesion = float(sizes[sizes >= MIN_PART].sum() / area) if area else 0.0
    return CraftStats(coherence=_coherence(ink), cohesion=cohesion, parts=int(parts),
                      figure_share=area / figure.size)


def _coherence(ink: np.ndarray) -> float:
    gy, gx = np.gradient(ndimage.gaussian_filter(ink, 0.7))
    strength = np.hypot(gx, gy)
    marks = strength > GRADIENT_FLOOR
    if not marks.any():
        return 0.0
    jxx = ndimage.gaussian_filter(gx * gx, TENSOR_SIGMA)
    jyy = ndimage.gaussian_filter(gy * gy, TENSOR_SIGMA)
    jxy = ndimage.gaussian_filter(gx * gy, TENSOR_SIGMA)
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy ** 2) / np.maximum(jxx + jyy, 1e-9)
    weights = strength[marks]
    return float((coherence[marks] * weights).sum() / weights.sum())
