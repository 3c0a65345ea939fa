"""Training inputs for the recogniser, made from a few hundred ink maps: varied positives and made-up negatives.

The corpus draws each subject one way, so a recogniser fitted on its renders alone learns those exact
shapes and calls anything else a subject or nothing at random: a word typeset with a pen read as a fish,
a hatched square as a house. Each positive is therefore seen squashed, stretched, tilted, thicker or
thinner, paler or bolder, fading across, with a piece rubbed out; and MADE_SHARE of each batch (model.py)
is negatives made here in ink space, the first two out of the rendered maps themselves (their brush
texture is the real one), so no render is added:

- jigsaw: a figure cut in tiles and shuffled, each tile turned: every local mark of a subject, no subject;
- row: small pieces of ink set in a line with gaps, as a word is;
- hatch: parallel strokes filling a square or a disc, sometimes beside a disc or a bar (not a triangle:
  a hatched triangle may well be a mountain);
- disc: a lone filled disc or oval, blotchy as a wash, the cheapest mark in place of an apple or a sun.

All randomness comes from the caller's `random.Random`, so a fit is the same for the same seed.
"""
from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image
from scipy import ndimage

from core.reward.subject.features import INPUT, crop, crop_ink, figure_box, tone

MADE_NEGATIVES = ("jigsaw", "row", "hatch", "disc")


def positive_input(ink: np.ndarray, label: int, maps: dict[int, list[np.ndarray]], none: int,
                   rng: random.Random) -> np.ndarray:
    """One (INPUT, INPUT) training input from a 128-px ink map of class `label` (any class, `none` included):
    sometimes several instances on one page or clutter behind it, then flip, ink and geometry jitter."""
    if label != none and rng.random() < 0.25:
        ink = _several(maps[label], rng)
    if label != none and rng.random() < 0.2:
        ink = np.maximum(ink, rng.choice(maps[none]) * rng.uniform(0.25, 0.6))
    if rng.random() < 0.5:
        ink = ink[:, ::-1]  # every subject the corpus knows is still itself in a mirror
    x = _jittered_crop(ink, rng)
    x = _restroke(x, rng)
    if label != none and rng.random() < 0.25:
        x = _rub_out(x, rng)
    if rng.random() < 0.2:
        x = _fade(x, rng)
    return x


def made_negative(maps: dict[int, list[np.ndarray]], rng: random.Random) -> np.ndarray:
    """A made-up negative (one of MADE_NEGATIVES) from the rendered maps of every class."""
    pool = [ink for inks in maps.values() for ink in inks]
    kind = rng.choice(MADE_NEGATIVES)
    if kind == "jigsaw":
        x = _jigsaw(_jittered_crop(rng.choice(pool), rng), rng)
    elif kind == "row":
        x = _row(pool, rng)
    elif kind == "hatch":
        x = _hatch(rng)
    else:
        x = _disc(rng)
    return _restroke(x, rng)


def _jittered_crop(ink: np.ndarray, rng: random.Random) -> np.ndarray:
    """The figure's square, its margin, centre, aspect and angle jittered (what `features.input_of` sees,
    give or take how a hand would draw it)."""
    box = figure_box(ink)
    if box is None:
        return np.zeros((INPUT, INPUT), dtype=np.float32)
    cy, cx, side = box
    side = side * rng.uniform(1.05, 1.4) + 2.0
    cy += rng.uniform(-0.08, 0.08) * side
    cx += rng.uniform(-0.08, 0.08) * side
    if rng.random() < 0.5:
        return crop(np.ascontiguousarray(ink, dtype=np.float32), cy, cx, side)
    # an affine read of the page: output pixel (u, v) samples page point A @ (u, v) + b
    angle = math.radians(rng.uniform(-12.0, 12.0))
    sx, sy = (side / INPUT) * rng.uniform(0.85, 1.18), (side / INPUT) * rng.uniform(0.85, 1.18)
    c, s = math.cos(angle), math.sin(angle)
    a, b, d, e = c * sx, -s * sy, s * sx, c * sy
    h = INPUT / 2.0
    data = (a, b, cx - a * h - b * h, d, e, cy - d * h - e * h)
    im = Image.fromarray(np.ascontiguousarray(ink, dtype=np.float32), mode="F")
    return tone(np.asarray(im.transform((INPUT, INPUT), Image.Transform.AFFINE, data, Image.Resampling.BILINEAR,
                                        fillcolor=0.0), dtype=np.float32))


def _restroke(x: np.ndarray, rng: random.Random) -> np.ndarray:
    """Thicker, thinner or softer strokes, and paler or bolder ink (pale washes and heavy markers)."""
    r = rng.random()
    if r < 0.2:
        x = ndimage.maximum_filter(x, 2 if rng.random() < 0.6 else 3)
    elif r < 0.3:
        x = ndimage.minimum_filter(x, 2)
    elif r < 0.4:
        x = ndimage.gaussian_filter(x, rng.uniform(0.5, 1.0))
    x = np.power(np.clip(x, 0.0, 1.0), rng.uniform(0.6, 1.4))
    return np.clip(x * rng.uniform(0.6, 1.4), 0.0, 1.0).astype(np.float32)


def _rub_out(x: np.ndarray, rng: random.Random) -> np.ndarray:
    """A small patch rubbed out (a brush that skipped, a part painted over): the subject is still there."""
    side = rng.randint(INPUT // 8, INPUT // 4)
    y, z = rng.randint(0, INPUT - side), rng.randint(0, INPUT - side)
    x = x.copy()
    x[y:y + side, z:z + side] *= rng.uniform(0.0, 0.4)
    return x


def _fade(x: np.ndarray, rng: random.Random) -> np.ndarray:
    """Ink fading across the figure, as a large wash thins out or one part is laid paler than the rest."""
    yy, xx = np.mgrid[0:INPUT, 0:INPUT].astype(np.float32) / INPUT - 0.5
    a = rng.uniform(0, 2 * math.pi)
    ramp = np.clip(0.5 + (xx * math.cos(a) + yy * math.sin(a)) * rng.uniform(1.5, 4.0), 0.0, 1.0)
    return (x * (1.0 - ramp * rng.uniform(0.5, 0.85))).astype(np.float32)


def _jigsaw(x: np.ndarray, rng: random.Random) -> np.ndarray:
    """The input cut in k x k tiles, shuffled so no tile keeps its place, and each turned a random quarter."""
    k = rng.choice((2, 3, 3, 4))
    t = INPUT // k
    tiles = [x[i * t:(i + 1) * t, j * t:(j + 1) * t] for i in range(k) for j in range(k)]
    order = list(range(len(tiles)))
    while any(i == o for i, o in enumerate(order)):
        rng.shuffle(order)
    out = np.zeros_like(x)
    for n, o in enumerate(order):
        i, j = divmod(n, k)
        out[i * t:(i + 1) * t, j * t:(j + 1) * t] = np.rot90(tiles[o], rng.randint(0, 3))
    return out


def _row(pool: list[np.ndarray], rng: random.Random) -> np.ndarray:
    """3-9 small pieces of ink in one or two lines with gaps, as letters of a word stand."""
    count, lines = rng.randint(3, 9), rng.choice((1, 1, 2))
    page = np.zeros((128, 128), dtype=np.float32)
    h = rng.uniform(12, 30) if lines == 1 else rng.uniform(10, 20)
    w = h * rng.uniform(0.5, 0.9)
    gap = w * rng.uniform(1.15, 1.5)
    x0 = rng.uniform(2, max(2.0, 126 - gap * count))
    for line in range(lines):
        y0 = 64 - lines * h * 0.7 + line * h * 1.4
        for i in range(count):
            piece = _piece(rng.choice(pool), rng, int(round(w)), int(round(h)))
            if piece.max() < 0.3:  # an empty corner of the figure: one more try
                piece = _piece(rng.choice(pool), rng, int(round(w)), int(round(h)))
            y, x = int(y0), int(x0 + i * gap)
            if x + piece.shape[1] > 128 or y + piece.shape[0] > 128 or y < 0:
                continue
            page[y:y + piece.shape[0], x:x + piece.shape[1]] = np.maximum(
                page[y:y + piece.shape[0], x:x + piece.shape[1]], piece)
    box = figure_box(page)
    if box is None:
        return np.zeros((INPUT, INPUT), dtype=np.float32)
    cy, cx, side = box
    return crop(page, cy, cx, side * rng.uniform(1.05, 1.3) + 2.0)


def _piece(ink: np.ndarray, rng: random.Random, w: int, h: int) -> np.ndarray:
    """A small window of an ink map's figure, resized to (h, w): a glyph-sized mark with real brush texture."""
    box = figure_box(ink)
    if box is None:
        return np.zeros((max(h, 1), max(w, 1)), dtype=np.float32)
    cy, cx, side = box
    win = max(6.0, side * rng.uniform(0.2, 0.45))
    cy += rng.uniform(-0.35, 0.35) * side
    cx += rng.uniform(-0.35, 0.35) * side
    im = Image.fromarray(np.ascontiguousarray(ink, dtype=np.float32), mode="F")
    box4 = (cx - win / 2, cy - win / 2, cx + win / 2, cy + win / 2)
    return np.asarray(im.transform((max(w, 1), max(h, 1)), Image.Transform.EXTENT, box4,
                                   Image.Resampling.BILINEAR, fillcolor=0.0), dtype=np.float32)


def _hatch(rng: random.Random) -> np.ndarray:
    """Parallel strokes filling a square or a disc (sometimes crossed, sometimes beside a disc or a
    bar), their ink blotchy."""
    yy, xx = np.mgrid[0:INPUT, 0:INPUT].astype(np.float32)
    angle, spacing = rng.uniform(0, math.pi), rng.uniform(2.5, 7.0)
    width = rng.uniform(0.6, 1.6)
    phase = xx * math.cos(angle) + yy * math.sin(angle)
    lines = (np.abs((phase % spacing) - spacing / 2) < width / 2).astype(np.float32)
    if rng.random() < 0.3:
        other = xx * math.cos(angle + math.pi / 2) + yy * math.sin(angle + math.pi / 2)
        lines = np.maximum(lines, (np.abs((other % spacing) - spacing / 2) < width / 2).astype(np.float32))
    m = INPUT * rng.uniform(0.05, 0.15)
    shape = rng.choice(("square", "square", "disc"))  # not a triangle: a hatched triangle may be a mountain
    if shape == "square":
        mask = (yy > m) & (yy < INPUT - m) & (xx > m) & (xx < INPUT - m)
    else:
        mask = (yy - INPUT / 2) ** 2 + (xx - INPUT / 2) ** 2 < (INPUT / 2 - m) ** 2
    x = lines * mask
    if rng.random() < 0.3:  # an outline round it
        x = np.maximum(x, (mask ^ ndimage.binary_erosion(mask, iterations=1)).astype(np.float32))
    if rng.random() < 0.35:  # a disc or a bar beside it, as in the hatched-square cheats
        cy, cx, r = rng.uniform(12, 36), rng.uniform(12, 36), rng.uniform(4, 10)
        blob = ((yy - cy) ** 2 + (xx - cx) ** 2 < r * r) if rng.random() < 0.5 else \
            ((yy > cy) & (yy < cy + r * 0.6) & (np.abs(xx - INPUT / 2) < r * 2))
        x = np.maximum(x, blob.astype(np.float32) * rng.uniform(0.4, 0.9))
    x = x * (0.55 + 0.45 * _grain(rng))
    return ndimage.gaussian_filter(x, 0.4).astype(np.float32)


def _disc(rng: random.Random) -> np.ndarray:
    """A filled disc or oval filling the crop as `input_of` frames a lone blob, its ink blotchy."""
    yy, xx = np.mgrid[0:INPUT, 0:INPUT].astype(np.float32)
    r = INPUT / 2 / rng.uniform(1.05, 1.35)
    ry, rx = (r, r * rng.uniform(0.75, 1.0)) if rng.random() < 0.5 else (r * rng.uniform(0.75, 1.0), r)
    d = np.sqrt(((yy - INPUT / 2) / ry) ** 2 + ((xx - INPUT / 2) / rx) ** 2)
    edge = rng.uniform(0.02, 0.15)  # a hard pen edge to a soft watercolour one
    x = np.clip((1.0 - d) / edge, 0.0, 1.0)
    return (x * rng.uniform(0.5, 1.0) * (0.5 + 0.5 * _grain(rng))).astype(np.float32)


def _grain(rng: random.Random) -> np.ndarray:
    """A blotchy field in 0..1, as a watercolour fill or a dry brush leaves (not a rendered map's figure: a
    subject showing through a made-up negative would teach that the subject is none)."""
    noise = np.random.default_rng(rng.randrange(1 << 32)).random((INPUT, INPUT))
    field = ndimage.gaussian_filter(noise, rng.uniform(1.0, 4.0))
    lo, hi = float(field.min()), float(field.max())
    return ((field - lo) / max(hi - lo, 1e-6)).astype(np.float32)


def _several(pool: list[np.ndarray], rng: random.Random) -> np.ndarray:
    """2-4 instances of one class, each cropped to its figure, shrunk and placed at random on one page."""
    side = pool[0].shape[0]
    page = np.zeros((side, side), dtype=np.float32)
    for _ in range(rng.randint(2, 4)):
        ink = rng.choice(pool)
        box = figure_box(ink)
        if box is None:
            continue
        size = int(side * rng.uniform(0.25, 0.5))
        cy, cx, s = box
        piece = crop_ink(ink, cy, cx, s * 1.1 + 2, out=size)
        y, x = rng.randint(0, side - size), rng.randint(0, side - size)
        page[y:y + size, x:x + size] = np.maximum(page[y:y + size, x:x + size], piece)
    return page
