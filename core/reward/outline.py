"""Parts of a painting read from its outline: what a lone wash and a figure of several washes differ in.

A pale watercolour wash has soft edges and faint grain, so the edge map of image_stats finds little in it,
and a soft-edged fish (a disc and a triangle) reads like a lone disc. The outline does not depend on how
hard the edges are: the figure's extent (every pixel off the paper, gaps closed, holes filled) is a disc
for a lone disc and a disc with a tail for a fish. Opening the extent with a disc of half the figure's
largest inscribed radius keeps its main body; what the opening removes and is itself thick (the tail, a
leaf, a sail, a second shape) is a part. Jagged rims, corners and the horns of a thin crescent are not:
they are thin next to the body.

A wash that fades on one side leaves a bay of bare paper whose rim reads as a part too; such a "part" holds
far less paint than the rest of the figure, so each part carries its ink (mean ΔE from the paper) relative
to the whole figure's, and the substance gate asks for parts painted like the rest (core/reward/offline.py).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import ndimage

OUTLINE_DELTA_E = 0.3  # extent: off the paper by more than this (the paper of a p5 background is exact)
CLOSE_RADIUS = 3       # px of the 128-px copy: closes the speckled rim of a pale wash before filling
MIN_PIXELS = 6         # specks smaller than this are not part of the figure
MAX_PARTS = 4
MIN_SHARE = 0.01       # pieces under this share of the figure are rim jaggies, never parts (and not measured)


class Part(NamedTuple):
    """One part beyond the figure's main body."""

    radius: float  # its largest inscribed radius over the main body's (a fish's tail ~0.3-0.4)
    share: float   # its share of the figure's extent (a fish's tail ~0.15-0.25)
    ink: float     # its mean ΔE from the paper over the figure's (a painted part ~0.5-1.5, a faded bay ~0.3)


def _disk(r: int) -> np.ndarray:
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return x * x + y * y <= r * r + 0.5


def _inradius(mask: np.ndarray) -> np.ndarray:
    """Distance of each pixel to the nearest pixel outside `mask` (the page's edge counts as outside)."""
    return ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]


def extent(delta: np.ndarray) -> np.ndarray:
    """The figure's extent on a ΔE-from-paper map: off the paper, speckled rims closed, holes filled."""
    pad = CLOSE_RADIUS + 1
    mask = ndimage.binary_closing(np.pad(delta > OUTLINE_DELTA_E, pad), _disk(CLOSE_RADIUS))
    mask = ndimage.binary_opening(ndimage.binary_fill_holes(mask), _disk(1))[pad:-pad, pad:-pad]
    labels, count = ndimage.label(mask)
    if not count:
        return mask
    sizes = ndimage.sum(mask, labels, range(1, count + 1))
    return np.isin(labels, 1 + np.nonzero(sizes >= MIN_PIXELS)[0])


def outline_parts(delta: np.ndarray) -> tuple[float, tuple[Part, ...]]:
    """(outline length of the extent in canvas widths, its largest parts beyond the main body)."""
    mask = extent(delta)
    if not mask.any():
        return 0.0, ()
    # each edge is crossed from both sides by the x and y transitions: /2, and /w in canvas widths, as image_stats
    length = float(np.diff(mask, axis=1).sum() + np.diff(mask, axis=0).sum()) / (4.0 * mask.shape[1])
    inner = _inradius(mask)
    body_r = float(inner.max())
    if body_r < 3:  # specks and hairlines: no body to have parts
        return length, ()
    opening = max(1.5, 0.5 * body_r)
    body = (ndimage.distance_transform_edt(inner < opening) <= opening) & mask
    total, ink = float(mask.sum()), float(delta[mask].mean())
    parts: list[Part] = []
    # the opening's pieces beyond its largest (a second shape) and what the opening removed (a tail, a leaf)
    body_labels, body_count = ndimage.label(body)
    rest_labels = ndimage.label(mask & ~body)[0]
    largest = 1 + int(np.argmax(ndimage.sum(body, body_labels, range(1, body_count + 1)))) if body_count else 0
    for labels, skip in ((body_labels, largest), (rest_labels, 0)):
        for i, box in enumerate(ndimage.find_objects(labels), 1):
            if i == skip or box is None:
                continue
            piece = labels[box] == i
            if piece.sum() < MIN_SHARE * total:
                continue
            parts.append(Part(float(_inradius(piece).max()) / body_r, float(piece.sum()) / total,
                              float(delta[box][piece].mean()) / max(ink, 1e-6)))
    parts.sort(key=lambda p: -p.share)
    return length, tuple(parts[:MAX_PARTS])
