"""Image statistics the offline components share: paper, figure, colour, detail and layout of a painting.

Colour is measured in CIE Lab at up to 512 px. The paper is the border's most common colour; a pixel
is figure when it differs from the paper by more than FIGURE_DELTA_E. Layout and edges (figure map,
grid, centroid, border, edge length) are measured on a LAYOUT_SIDE copy, so the same sketch rendered at
128 px (training) or 512 px (the studio) reads the same: at 512 px brush grain alone added edges a
128-px render never shows. The copy is box-averaged, so a thin pencil line fades rather than vanishes;
LAYOUT_DELTA_E is lower than FIGURE_DELTA_E for that reason.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from core.pool.colour import classify_lab, fit_within, srgb_to_lab

MAX_SIDE = 512
LAYOUT_SIDE = 128
FIGURE_DELTA_E = 10.0
LAYOUT_DELTA_E = 5.0     # figure on the 128-px copy (as painted_share): averaged thin lines still count
EDGE_DELTA_E = 8.0       # neighbouring pixels of the 128-px copy this far apart in Lab are an edge
MAX_COLOUR_SAMPLES = 5000


@dataclass(frozen=True)
class ImageStats:
    """What the offline components read from one painting."""

    paper_lab: tuple[float, float, float]
    figure_share: float             # share of the 128-px copy's pixels holding paint
    group_shares: dict[str, float]  # colour groups of the painted pixels (sum 1; empty without paint)
    group_labs: dict[str, tuple[float, float, float]]  # mean Lab of each of those groups
    edge_length: float              # total edge length, in canvas widths (a line across ≈ 1)
    tonal_range: float              # L* spread (5th–95th percentile) of the painted pixels
    grid_shares: tuple[float, ...]  # figure share per cell of a 4×4 grid, row-major
    centroid: tuple[float, float] | None  # figure centre, 0..1 across and down
    border_touch: float             # share of the border pixels that hold paint
    thickness: float = 0.0          # figure spread across its narrowest axis (std, canvas widths): a lone line ≈ 0

    @property
    def complexity(self) -> float:
        """Edge length over the square root of the painted share: a lone disc scores ~1.1 at any size."""
        return self.edge_length / max(self.figure_share, 1e-4) ** 0.5 if self.figure_share > 0 else 0.0


def _paper(lab: np.ndarray) -> np.ndarray:
    border = np.concatenate([lab[:3].reshape(-1, 3), lab[-3:].reshape(-1, 3),
                             lab[:, :3].reshape(-1, 3), lab[:, -3:].reshape(-1, 3)])
    q = np.round(border / 6.0).astype(np.int32)
    keys = (q[:, 0] * 100 + q[:, 1] + 50) * 100 + q[:, 2] + 50
    values, counts = np.unique(keys, return_counts=True)
    return border[keys == values[counts.argmax()]].mean(0)


def _lab_copy(im: Image.Image, side: int) -> np.ndarray:
    rgb = np.asarray(fit_within(im.convert("RGB"), side, Image.Resampling.BOX), dtype=np.float64)
    return srgb_to_lab(rgb)


def image_stats(png: bytes) -> ImageStats:
    """Measure a PNG: colour at up to 512 px a side, layout and edges on a 128-px copy."""
    with Image.open(io.BytesIO(png)) as im:
        lab = _lab_copy(im, MAX_SIDE)
        small = _lab_copy(im, LAYOUT_SIDE)
    paper = _paper(lab)
    pix = lab[np.linalg.norm(lab - paper, axis=-1) > FIGURE_DELTA_E]
    if len(pix) > MAX_COLOUR_SAMPLES:  # an even stride keeps it deterministic
        pix = pix[:: len(pix) // MAX_COLOUR_SAMPLES + 1]
    groups: dict[str, float] = {}
    group_labs: dict[str, tuple[float, float, float]] = {}
    if len(pix):
        names = classify_lab(pix)
        uniq, counts = np.unique(names, return_counts=True)
        groups = {str(n): float(c) / len(names) for n, c in zip(uniq, counts, strict=True)}
        group_labs = {g: tuple(float(v) for v in pix[names == g].mean(0)) for g in groups}
    figure = np.linalg.norm(small - _paper(small), axis=-1) > LAYOUT_DELTA_E
    bh, bw = figure.shape
    dx = np.linalg.norm(np.diff(small, axis=1), axis=-1) > EDGE_DELTA_E
    dy = np.linalg.norm(np.diff(small, axis=0), axis=-1) > EDGE_DELTA_E
    ys, xs = np.nonzero(figure)
    cells = [float(figure[i * bh // 4:(i + 1) * bh // 4, j * bw // 4:(j + 1) * bw // 4].mean())
             for i in range(4) for j in range(4)]
    border = np.concatenate([figure[0], figure[-1], figure[:, 0], figure[:, -1]])
    thickness = 0.0
    if len(xs) > 2:  # the smaller principal axis of the painted pixels' positions
        thickness = float(np.sqrt(max(0.0, np.linalg.eigvalsh(np.cov(np.stack([xs, ys]) / bw))[0])))
    return ImageStats(
        paper_lab=tuple(float(v) for v in paper),
        figure_share=float(figure.mean()),
        group_shares=groups,
        group_labs=group_labs,
        # each edge is crossed from both sides by dx and dy: /2, and /w to measure in canvas widths
        edge_length=float(dx.sum() + dy.sum()) / (2.0 * 2.0 * bw),
        tonal_range=float(np.percentile(pix[:, 0], 95) - np.percentile(pix[:, 0], 5)) if len(pix) > 8 else 0.0,
        grid_shares=tuple(cells),
        centroid=(float(xs.mean() + 0.5) / bw, float(ys.mean() + 0.5) / bh) if len(xs) else None,
        border_touch=float(border.mean()),
        thickness=thickness,
    )


def painted_share(png: bytes, side: int = 128) -> float:
    """Cheap blank check for the structure gate: share of a ~128 px copy that differs from the paper."""
    with Image.open(io.BytesIO(png)) as im:
        rgb = np.asarray(fit_within(im.convert("RGB"), side, Image.Resampling.BOX), dtype=np.float64)
    lab = srgb_to_lab(rgb)
    # Thin lines fade when averaged down, so a lower threshold than FIGURE_DELTA_E here.
    return float((np.linalg.norm(lab - _paper(lab), axis=-1) > FIGURE_DELTA_E / 2).mean())
