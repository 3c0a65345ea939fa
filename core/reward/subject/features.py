"""What the recogniser sees: the ink of a painting, colour-blind, cropped to the figure.

A render becomes its *ink map* on the 128-px layout copy (ΔE from the paper, 0..1), the same copy
the other offline components read, so a 128-px training render and a 512-px studio render look alike.
The map is cropped to a square around the figure and resized to INPUT px: where the subject stands
and how big it is are the composition's business, and what colour it is the colour component's.
The figure is every pixel FIGURE_DELTA_E from the paper, and the input reads ink on a square-root scale,
so a pale wash is part of the shape: at the other components' 5 ΔE the brown roof of a large watercolour
house (1-5 ΔE) fell outside the box, the crop held the blue wall alone, a square, and the recogniser read
"none" (v1: 0.04 for the house). Training varies the same maps (augment.py).
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from core.reward.imagestats import _paper

INPUT = 48            # px a side of the recogniser's input
INK_FULL = 60.0       # ΔE from the paper that counts as full ink
FIGURE_DELTA_E = 2.0  # ΔE from the paper that belongs to the figure (a pale wash lies at 1-5 ΔE)
# The paper's own spread: where the page is mostly paint the paper estimate can sit ~0.3 ΔE off, and a square
# root would lift that to a grey field round the figure.
PAPER_FLOOR = 1.0 / INK_FULL
FEATURES_VERSION = "ink-crop-48-v2"  # v1: figure at 5 ΔE, ink on a linear scale


def ink_map(lab: np.ndarray) -> np.ndarray:
    """Float32 map in 0..1 of a painting's 128-px Lab copy (imagestats.layout_lab): how far each pixel is
    from the paper."""
    ink = np.linalg.norm(lab - _paper(lab), axis=-1) / INK_FULL
    return np.clip(ink, 0.0, 1.0).astype(np.float32)


def figure_box(ink: np.ndarray) -> tuple[float, float, float] | None:
    """(centre row, centre column, side) of the square around the figure; None for a blank page."""
    ys, xs = np.nonzero(ink > FIGURE_DELTA_E / INK_FULL)
    if len(xs) == 0:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return (y0 + y1) / 2.0, (x0 + x1) / 2.0, float(max(y1 - y0, x1 - x0))


def crop(ink: np.ndarray, cy: float, cx: float, side: float) -> np.ndarray:
    """The square of `side` px centred on (cy, cx), zero outside the page, resized to INPUT, on the input's
    scale (`tone`)."""
    return tone(crop_ink(ink, cy, cx, side))


def crop_ink(ink: np.ndarray, cy: float, cx: float, side: float, out: int = INPUT) -> np.ndarray:
    """The square of `side` px centred on (cy, cx), zero outside the page, resized to `out` px; still ink."""
    half = max(side, 4.0) / 2.0
    box = (cx - half, cy - half, cx + half, cy + half)
    im = Image.fromarray(np.ascontiguousarray(ink, dtype=np.float32), mode="F").transform(
        (out, out), Image.Transform.EXTENT, box, Image.Resampling.BILINEAR, fillcolor=0.0)
    return np.asarray(im, dtype=np.float32)


def tone(ink: np.ndarray) -> np.ndarray:
    """Ink on the input's scale: the square root of what lies above PAPER_FLOOR, so a 3 ΔE wash reads 0.2
    beside a full stroke's 1, and the paper stays 0."""
    return np.sqrt(np.clip((ink - PAPER_FLOOR) / (1.0 - PAPER_FLOOR), 0.0, 1.0)).astype(np.float32)


def input_of(ink: np.ndarray, margin: float = 1.15) -> np.ndarray:
    """The recogniser's (INPUT, INPUT) input for an ink map: the figure's square with a margin."""
    box = figure_box(ink)
    if box is None:
        return np.zeros((INPUT, INPUT), dtype=np.float32)
    cy, cx, side = box
    return crop(ink, cy, cx, side * margin + 2.0)
