"""Colour groups: the dominant colours of a painting in CIE Lab, minus its paper, named by hue group.

The paper is estimated from the border pixels (paintings sit on a near-uniform ground); what is
within a small Lab distance of it is background. Each remaining pixel goes to the group of its
nearest prototype colour (several per group) or to "neutral" when its chroma is low.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

# Chromatic groups in display order; "neutral" (white, grey, black, cream) comes last.
GROUPS: tuple[str, ...] = ("red", "peach", "yellow", "green", "blue", "purple", "pink", "brown")
ALL_GROUPS: tuple[str, ...] = (*GROUPS, "neutral")

# A swatch per group for views and legends.
GROUP_SWATCH: dict[str, str] = {
    "red": "#c8283a", "peach": "#f39a5b", "yellow": "#f2c72e", "green": "#4f9a4a", "blue": "#3b6fc4",
    "purple": "#7d4fb0", "pink": "#ec7fb0", "brown": "#8a5a3b", "neutral": "#9a968e",
}

# sRGB prototypes: each group owns several so that e.g. coral and apricot both land in peach.
_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "red": ("#d7263d", "#b3001b", "#e63946", "#c0392b", "#9b111e", "#ff2a2a"),
    "peach": ("#ffa64d", "#ff8c42", "#ffb58a", "#ff7f50", "#fa8072", "#f4a261", "#ffcba4", "#e8743b"),
    "yellow": ("#ffd700", "#f7e04b", "#ffef5c", "#e9c46a", "#f5d300", "#fff3a0"),
    "green": ("#2e8b57", "#4caf50", "#6b8e23", "#90c67c", "#1b5e20", "#a8d08d", "#3aa17e"),
    "blue": ("#1e5aa8", "#4a90d9", "#87ceeb", "#0b3d91", "#2a9d8f", "#5fa8d3", "#00a6d6", "#0000ff", "#000080", "#0047ab"),
    "purple": ("#6a0dad", "#8e44ad", "#9b7ed9", "#b39ddb", "#4b0082", "#7b2cbf", "#c8a2c8"),
    "pink": ("#ff69b4", "#f7a8c8", "#e75480", "#ffc0cb", "#ff1493", "#d94f8a", "#f49ac1", "#ff00ff"),
    "brown": ("#8b5a2b", "#a0522d", "#6f4e37", "#5c4033", "#c19a6b", "#7b3f00"),
}

# Words a prompt may use for a colour, mapped to the group. "rose" is left out: it is usually a flower.
COLOUR_WORDS: dict[str, str] = {
    **dict.fromkeys(["red", "crimson", "scarlet", "ruby", "cherry", "vermilion", "carmine", "cardinal"], "red"),
    **dict.fromkeys(["peach", "orange", "coral", "salmon", "apricot", "tangerine", "amber", "terracotta",
                     "copper", "persimmon"], "peach"),
    **dict.fromkeys(["yellow", "gold", "golden", "lemon", "mustard", "saffron", "canary", "sunflower"], "yellow"),
    **dict.fromkeys(["green", "emerald", "olive", "lime", "sage", "mint", "jade", "moss", "forest"], "green"),
    **dict.fromkeys(["blue", "navy", "azure", "cobalt", "teal", "turquoise", "cyan", "cerulean", "sapphire",
                     "aqua", "ultramarine", "indigo"], "blue"),
    **dict.fromkeys(["purple", "violet", "lavender", "lilac", "plum", "mauve", "amethyst", "orchid"], "purple"),
    **dict.fromkeys(["pink", "magenta", "fuchsia", "blush", "cerise"], "pink"),
    **dict.fromkeys(["brown", "chocolate", "tan", "sienna", "umber", "sepia", "bronze", "rust", "ochre"], "brown"),
    **dict.fromkeys(["white", "black", "grey", "gray", "cream", "ivory", "silver", "charcoal"], "neutral"),
}
_WORD = re.compile(r"[a-z]+")

NEUTRAL_CHROMA = 14.0     # Lab chroma below this reads as white/grey/black/cream
PAPER_DELTA_E = 10.0      # within this Lab distance of the estimated paper = background
PROMPT_COLOUR_SHARE = 0.08  # the prompt's colour names the group if it covers this share of the painting
ANALYSIS_SIZE = 64


@dataclass(frozen=True)
class ColourInfo:
    """A painting's colour group, its paper colour, and its dominant colours as (hex, share of paint)."""

    group: str
    paper: str
    colours: tuple[tuple[str, float], ...]
    shares: dict[str, float]


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB in 0..255 (…, 3) → CIE Lab (D65), float (…, 3)."""
    c = rgb.astype(np.float64) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def _hex_rgb(h: str) -> tuple[int, int, int]:
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


def _rgb_hex(rgb: np.ndarray) -> str:
    r, g, b = (int(round(float(v))) for v in np.clip(rgb, 0, 255))
    return f"#{r:02x}{g:02x}{b:02x}"


_PROTO_GROUP = np.array([g for g, hexes in _PROTOTYPES.items() for _ in hexes])
_PROTO_LAB = srgb_to_lab(np.array([_hex_rgb(h) for hexes in _PROTOTYPES.values() for h in hexes]))


def classify_lab(lab: np.ndarray) -> np.ndarray:
    """Group name per Lab pixel (N, 3): nearest prototype, or "neutral" when nearly grey."""
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    # Lightness counts half: a pale pink is still pink, a dark red still red.
    w = np.array([0.5, 1.0, 1.0])
    d = (((lab[:, None, :] - _PROTO_LAB[None, :, :]) * w) ** 2).sum(-1)
    groups = _PROTO_GROUP[d.argmin(1)].astype(object)
    groups[chroma < NEUTRAL_CHROMA] = "neutral"
    return groups


def group_of_hex(colour: str) -> str:
    """The group of one sRGB colour like "#ff8c42"."""
    return str(classify_lab(srgb_to_lab(np.array([_hex_rgb(colour)])))[0])


def prompt_colour(prompt: str | None) -> str | None:
    """The colour group a prompt names ("draw a peach hibiscus" → "peach"), first colour word wins."""
    for word in _WORD.findall((prompt or "").lower()):
        if word in COLOUR_WORDS:
            return COLOUR_WORDS[word]
    return None


def fit_within(image: Image.Image, size: int, resample: Image.Resampling) -> Image.Image:
    """A new image scaled down to fit size×size (the image itself if it already fits); no copy first."""
    scale = size / max(image.size)
    if scale >= 1:
        return image
    target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(target, resample, reducing_gap=2.0)


def _paper(rgb: np.ndarray) -> np.ndarray:
    """Estimate the ground: the most common quantised colour of the border pixels, averaged."""
    border = np.concatenate([rgb[:2].reshape(-1, 3), rgb[-2:].reshape(-1, 3),
                             rgb[:, :2].reshape(-1, 3), rgb[:, -2:].reshape(-1, 3)])
    q = (border // 16).astype(np.int32)
    keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    return border[keys == values[counts.argmax()]].mean(0)


def analyse(image: Image.Image, prompt: str | None = None) -> ColourInfo:
    """Dominant colours and colour group of a painting (downsampled to ~64 px first, for speed)."""
    small = fit_within(image if image.mode == "RGB" else image.convert("RGB"), ANALYSIS_SIZE,
                       Image.Resampling.BILINEAR)
    rgb = np.asarray(small, dtype=np.float64)
    paper = _paper(rgb)
    flat = rgb.reshape(-1, 3)
    lab = srgb_to_lab(flat)
    fg = np.linalg.norm(lab - srgb_to_lab(paper), axis=1) > PAPER_DELTA_E
    if fg.sum() < max(8, 0.002 * len(flat)):  # a blank page: its paper is its colour
        fg = np.ones(len(flat), dtype=bool)
    groups = classify_lab(lab[fg])
    paint = flat[fg]
    names, counts = np.unique(groups, return_counts=True)
    shares = {str(n): float(c) / len(groups) for n, c in zip(names, counts, strict=True)}
    colours = tuple(
        (_rgb_hex(paint[groups == n].mean(0)), round(shares[n], 4))
        for n in sorted(shares, key=shares.get, reverse=True)
    )
    return ColourInfo(group=_pick_group(shares, prompt), paper=_rgb_hex(paper), colours=colours, shares=shares)


# Hues a painted colour drifts into: thin watercolour red reads as salmon, pale purple as pink.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "red": ("peach", "pink"), "peach": ("red", "yellow"), "yellow": ("peach",), "green": (),
    "blue": ("purple",), "purple": ("blue", "pink"), "pink": ("red", "purple"), "brown": ("red", "peach"),
    "neutral": (),
}


def _pick_group(shares: dict[str, float], prompt: str | None) -> str:
    # The colour the prompt asks for wins when the painting really shows it (or a hue next to it):
    # a peach hibiscus with big green leaves is a peach painting. Otherwise the largest chromatic
    # area, then neutral.
    named = prompt_colour(prompt)
    if named and sum(shares.get(g, 0.0) for g in (named, *NEIGHBOURS[named])) >= PROMPT_COLOUR_SHARE:
        return named
    chromatic = {g: s for g, s in shares.items() if g != "neutral"}
    if chromatic and max(chromatic.values()) >= 0.05:
        return max(chromatic, key=chromatic.get)
    return "neutral"
