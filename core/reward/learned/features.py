"""Hand-made image features of a painting: colour in Lab, saturation, edges and texture, strokes, coverage, layout.

Measured on a 128 px copy. FEATURES_VERSION is part of every trained artefact: change any feature
and bump it, and a model trained on the old features refuses to load instead of scoring nonsense.
Also the "more colourful wins" baseline (Hasler & Süsstrunk colourfulness) the model must beat.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from core.pool.colour import fit_within, srgb_to_lab

FEATURES_VERSION = "f1"
SIZE = 128
PAPER_DELTA_E = 12.0
EDGE_DELTA_E = 8.0

FEATURE_NAMES: tuple[str, ...] = (
    "L_mean", "L_std", "L_p05", "L_p95", "a_mean", "a_std", "b_mean", "b_std",
    "chroma_mean", "chroma_std", "chroma_p90", "sat_mean", "sat_std", "colourfulness",
    "hue_entropy", "hue_count", "lab_spread",
    "edge_energy", "edge_density", "edge_density_coarse", "laplacian_energy", "texture_local_std",
    "stroke_density", "orientation_entropy",
    "coverage", "coverage_log", "figure_chroma", "figure_L_std", "paper_chroma",
    "centroid_dx", "centroid_dy", "spread_x", "spread_y", "border_touch", "thirds_energy",
    "grid_entropy", "grid_occupied",
)


def load_rgb(png: bytes, size: int = SIZE) -> np.ndarray:
    """RGB float array (H, W, 3) in 0..255, fitted within `size` px."""
    with Image.open(io.BytesIO(png)) as im:
        small = fit_within(im.convert("RGB"), size, Image.Resampling.BOX)
        return np.asarray(small, dtype=np.float64)


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Süsstrunk's colourfulness: the trivial baseline ("more colourful wins")."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / max(counts.sum(), 1e-9)
    return float(-(p * np.log(p)).sum()) if len(p) else 0.0


def _paper(lab: np.ndarray) -> np.ndarray:
    border = np.concatenate([lab[:2].reshape(-1, 3), lab[-2:].reshape(-1, 3),
                             lab[:, :2].reshape(-1, 3), lab[:, -2:].reshape(-1, 3)])
    return np.median(border, axis=0)


def _grad(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gx = np.zeros_like(x)
    gy = np.zeros_like(x)
    gx[:, 1:-1] = (x[:, 2:] - x[:, :-2]) / 2
    gy[1:-1, :] = (x[2:, :] - x[:-2, :]) / 2
    return gx, gy


def features_from_rgb(rgb: np.ndarray) -> np.ndarray:
    """Features of an RGB array (H, W, 3) in 0..255."""
    h, w = rgb.shape[:2]
    lab = srgb_to_lab(rgb)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b)
    mx, mn = rgb.max(-1), rgb.min(-1)
    sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-9), 0.0)
    hue = np.arctan2(b, a)
    chromatic = chroma > 15
    hue_hist = np.histogram(hue[chromatic], bins=12, range=(-np.pi, np.pi))[0]
    lab_spread = float(np.linalg.norm(lab.reshape(-1, 3).std(0)))

    gx, gy = _grad(L)
    mag = np.hypot(gx, gy)
    edges = mag > EDGE_DELTA_E / 2
    coarse = np.asarray(Image.fromarray(rgb.astype(np.uint8)).resize((max(1, w // 4), max(1, h // 4)),
                                                                   Image.Resampling.BOX), dtype=np.float64)
    cgx, cgy = _grad(srgb_to_lab(coarse)[..., 0])
    coarse_edges = np.hypot(cgx, cgy) > EDGE_DELTA_E / 2
    lap = np.zeros_like(L)
    lap[1:-1, 1:-1] = L[:-2, 1:-1] + L[2:, 1:-1] + L[1:-1, :-2] + L[1:-1, 2:] - 4 * L[1:-1, 1:-1]
    blocks = L[:h // 8 * 8, :w // 8 * 8].reshape(h // 8, 8, w // 8, 8).std(axis=(1, 3))
    angles = np.arctan2(gy[edges], gx[edges]) % np.pi
    orient_hist = np.histogram(angles, bins=8, range=(0, np.pi))[0]

    paper = _paper(lab)
    figure = np.linalg.norm(lab - paper, axis=-1) > PAPER_DELTA_E
    coverage = float(figure.mean())
    ys, xs = np.nonzero(figure)
    if len(xs):
        cx, cy = xs.mean() / w, ys.mean() / h
        sx, sy = xs.std() / w, ys.std() / h
    else:
        cx = cy = 0.5
        sx = sy = 0.0
    border = np.concatenate([figure[0], figure[-1], figure[:, 0], figure[:, -1]])
    third = np.zeros_like(figure, dtype=bool)
    for t in (1 / 3, 2 / 3):  # bands around the thirds lines
        third[int((t - 0.06) * h):int((t + 0.06) * h), :] = True
        third[:, int((t - 0.06) * w):int((t + 0.06) * w)] = True
    grid = np.array([figure[i * h // 4:(i + 1) * h // 4, j * w // 4:(j + 1) * w // 4].mean()
                     for i in range(4) for j in range(4)])
    fig_lab = lab[figure]
    values = [
        L.mean(), L.std(), np.percentile(L, 5), np.percentile(L, 95), a.mean(), a.std(), b.mean(), b.std(),
        chroma.mean(), chroma.std(), np.percentile(chroma, 90), sat.mean(), sat.std(), colourfulness(rgb),
        _entropy(hue_hist), float((hue_hist > 0.03 * max(hue_hist.sum(), 1)).sum()), lab_spread,
        mag.mean(), edges.mean(), coarse_edges.mean(), np.abs(lap).mean(), blocks.mean(),
        float(edges[figure].mean()) if figure.any() else 0.0, _entropy(orient_hist),
        coverage, np.log(coverage + 1e-3), float(np.hypot(fig_lab[:, 1], fig_lab[:, 2]).mean()) if len(fig_lab) else 0.0,
        float(fig_lab[:, 0].std()) if len(fig_lab) > 1 else 0.0, float(np.hypot(paper[1], paper[2])),
        cx - 0.5, cy - 0.5, sx, sy, float(border.mean()), float(figure[third].mean()) - coverage,
        _entropy(grid * 100 + 1e-9), float((grid > 0.05).mean()),
    ]
    out = np.asarray(values, dtype=np.float32)
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


PIXELS = 48  # the CNN's input side (core/reward/learned/net.py); here so measuring needs no torch


def pixels(png: bytes, size: int = PIXELS) -> np.ndarray:
    """A (3, size, size) float32 array in −1..1 of the painting, squashed to a square."""
    with Image.open(io.BytesIO(png)) as im:
        small = im.convert("RGB").resize((size, size), Image.Resampling.BOX)
    return (np.asarray(small, dtype=np.float32).transpose(2, 0, 1) / 127.5 - 1.0).copy()
