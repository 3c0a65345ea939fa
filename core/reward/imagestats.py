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
from scipy import ndimage

from core.pool.colour import classify_lab, fit_within, srgb_to_lab
from core.reward.outline import Part, outline_parts

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
    # colour groups of all the paint, neutrals included, each pixel weighted by the square of its distance
    # from the paper (ΔE²): dense pigment counts far more than a pale glaze under it (red poppies on a
    # pale green field are a red painting), and a grey pencil house as much as a peach one
    ink_shares: dict[str, float]
    edge_length: float              # total edge length, in canvas widths (a line across ≈ 1)
    tonal_range: float              # L* spread (5th–95th percentile) of the painted pixels
    grid_shares: tuple[float, ...]  # figure share per cell of a 4×4 grid, row-major
    centroid: tuple[float, float] | None  # figure centre, 0..1 across and down
    border_touch: float             # share of the border pixels that hold paint
    thickness: float = 0.0          # figure spread across its narrowest axis (std, canvas widths): a lone line ≈ 0
    # RMS ΔE between the 4×4 grid cells' mean colours and the whole page's: a flood or an even texture has
    # none, a landscape with a sky, a field and poppies a lot, a small figure on paper some
    colour_spread: float = 0.0
    # the figure's outline (core/reward/outline.py), which soft edges do not hide: its length in canvas widths
    # and its parts beyond the main body (a fish's tail, an apple's leaf, a second shape)
    outline_length: float = 0.0
    parts: tuple[Part, ...] = ()

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


def layout_lab(png: bytes) -> np.ndarray:
    """The LAYOUT_SIDE copy of a PNG in Lab: what craft and the subject recogniser read (decode once, share)."""
    with Image.open(io.BytesIO(png)) as im:
        return _lab_copy(im, LAYOUT_SIDE)


def colour_lab(png: bytes) -> np.ndarray:
    """The copy of a PNG, at up to MAX_SIDE px a side, in Lab, that colour is read on (decode once, share)."""
    with Image.open(io.BytesIO(png)) as im:
        return _lab_copy(im, MAX_SIDE)


def _stretch(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A boolean map stretched (nearest) over an image of `shape`."""
    if mask.shape == shape[:2]:
        return mask
    return np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize(
        (shape[1], shape[0]), Image.Resampling.NEAREST)) > 0


def image_stats(png: bytes, lab: np.ndarray | None = None, small: np.ndarray | None = None,
                within: np.ndarray | None = None) -> ImageStats:
    """Measure a PNG: colour at up to 512 px a side, layout and edges on a 128-px copy (`lab` and `small`:
    colour_lab's and layout_lab's copies when the caller has decoded them already). With `within` (a
    boolean map of any size, stretched over the page) only the paint and the edges inside it count: the
    statistics of one region, e.g. where the subject recogniser finds the subject; the paper is the page's."""
    lab = colour_lab(png) if lab is None else lab
    small = layout_lab(png) if small is None else small
    paper = _paper(lab)
    delta = np.linalg.norm(lab - paper, axis=-1)
    painted = delta > FIGURE_DELTA_E
    if within is not None:
        painted &= _stretch(within, lab.shape)
    pix, ink = lab[painted], delta[painted]
    if len(pix) > MAX_COLOUR_SAMPLES:  # an even stride keeps it deterministic
        stride = len(pix) // MAX_COLOUR_SAMPLES + 1
        pix, ink = pix[::stride], ink[::stride]
    groups: dict[str, float] = {}
    group_labs: dict[str, tuple[float, float, float]] = {}
    ink_shares: dict[str, float] = {}
    if len(pix):
        names = classify_lab(pix)
        uniq, counts = np.unique(names, return_counts=True)
        groups = {str(n): float(c) / len(names) for n, c in zip(uniq, counts, strict=True)}
        group_labs = {g: tuple(float(v) for v in pix[names == g].mean(0)) for g in groups}
        weight = ink ** 2
        ink_shares = {g: float(weight[names == g].sum() / weight.sum()) for g in groups}
    small_delta = np.linalg.norm(small - _paper(small), axis=-1)
    figure = small_delta > LAYOUT_DELTA_E
    bh, bw = figure.shape
    dx = np.linalg.norm(np.diff(small, axis=1), axis=-1) > EDGE_DELTA_E
    dy = np.linalg.norm(np.diff(small, axis=0), axis=-1) > EDGE_DELTA_E
    if within is not None:  # an edge counts when either of its two pixels lies inside
        inside = _stretch(within, small.shape)
        figure &= inside
        dx &= inside[:, 1:] | inside[:, :-1]
        dy &= inside[1:] | inside[:-1]
    ys, xs = np.nonzero(figure)
    cells = [float(figure[i * bh // 4:(i + 1) * bh // 4, j * bw // 4:(j + 1) * bw // 4].mean())
             for i in range(4) for j in range(4)]
    border = np.concatenate([figure[0], figure[-1], figure[:, 0], figure[:, -1]])
    cell_labs = np.array([small[i * bh // 4:(i + 1) * bh // 4, j * bw // 4:(j + 1) * bw // 4].reshape(-1, 3).mean(0)
                          for i in range(4) for j in range(4)])
    colour_spread = float(np.sqrt(((cell_labs - small.reshape(-1, 3).mean(0)) ** 2).sum(1).mean()))
    thickness = 0.0
    if len(xs) > 2:  # the smaller principal axis of the painted pixels' positions
        thickness = float(np.sqrt(max(0.0, np.linalg.eigvalsh(np.cov(np.stack([xs, ys]) / bw))[0])))
    # the outline is the whole figure's (the substance gate's): a region's statistics leave it out
    outline_length, parts = outline_parts(small_delta) if within is None else (0.0, ())
    return ImageStats(
        paper_lab=tuple(float(v) for v in paper),
        figure_share=float(figure.mean()),
        group_shares=groups,
        group_labs=group_labs,
        ink_shares=ink_shares,
        # each edge is crossed from both sides by dx and dy: /2, and /w to measure in canvas widths
        edge_length=float(dx.sum() + dy.sum()) / (2.0 * 2.0 * bw),
        tonal_range=float(np.percentile(pix[:, 0], 95) - np.percentile(pix[:, 0], 5)) if len(pix) > 8 else 0.0,
        grid_shares=tuple(cells),
        centroid=(float(xs.mean() + 0.5) / bw, float(ys.mean() + 0.5) / bh) if len(xs) else None,
        border_touch=float(border.mean()),
        thickness=thickness,
        colour_spread=colour_spread,
        outline_length=outline_length,
        parts=parts,
    )


def painted_share(png: bytes, side: int = 128) -> float:
    """Cheap blank check for the structure gate: share of a ~128 px copy that differs from the paper."""
    with Image.open(io.BytesIO(png)) as im:
        rgb = np.asarray(fit_within(im.convert("RGB"), side, Image.Resampling.BOX), dtype=np.float64)
    lab = srgb_to_lab(rgb)
    # Thin lines fade when averaged down, so a lower threshold than FIGURE_DELTA_E here.
    return float((np.linalg.norm(lab - _paper(lab), axis=-1) > FIGURE_DELTA_E / 2).mean())


def flat_paint_share(png: bytes) -> float:
    """Share of the paint (at the render's own size) lying in 5x5 blocks of one exact colour.

    p5.brush never lays paint like that: its strokes have grain and its fills are layers of jittered,
    translucent polygons, so the starters and corpus renders show at most ~4 %. Native p5 fills and
    typeset text (rect, ellipse, text, image) are flat inside: 20-90 %."""
    with Image.open(io.BytesIO(png)) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.int16)
    border = np.concatenate([rgb[:3].reshape(-1, 3), rgb[-3:].reshape(-1, 3), rgb[:, :3].reshape(-1, 3),
                             rgb[:, -3:].reshape(-1, 3)])
    colours, counts = np.unique(border, axis=0, return_counts=True)
    paint = np.abs(rgb - colours[counts.argmax()]).sum(-1) > 12
    if not paint.any():
        return 0.0
    packed = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    flat = ndimage.maximum_filter(packed, 5) == ndimage.minimum_filter(packed, 5)  # one colour in the 5x5
    return float((flat & paint).sum() / paint.sum())
