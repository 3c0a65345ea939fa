"""What the learned reward model reads of a prompt: its colours, medium and subject words, crossed with the image.

HPSv3 scores an image *for a prompt*; so does our model. A small pool cannot train a text encoder,
so the prompt becomes a short fixed vector a tiny MLP can use:
- colour: the colour groups its colour words name (core.pool.colour's words: "scarlet" is red), or none;
- medium: watercolour, ink, pencil, charcoal, marker, pastel, crayon, paint, or none;
- subject: the other words hashed into a few buckets (stable across processes: crc32).
The painting's side is its share of paint per colour group (core.pool.colour.analyse). The prompt
head (prompt_head.py) crosses the two, and the crossing the pool most needs is given outright: how much of the
paint is in the prompt's colours (or a hue next to them), and how much is in the largest other
colour. That does not depend on which colour was named, so it carries over to wordings never trained on.

PROMPT_FEATURES_VERSION is stored with every artefact: change the vocabulary or the layout and bump it.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

from core.pool.colour import ALL_GROUPS, COLOUR_WORDS, NEIGHBOURS
from core.pool.demo import strip_demo

PROMPT_FEATURES_VERSION = "p1"

MEDIUM_WORDS: dict[str, str] = {
    **dict.fromkeys(["watercolour", "watercolor", "watercolours", "watercolors", "wash"], "watercolour"),
    **dict.fromkeys(["ink", "pen", "inked"], "ink"),
    **dict.fromkeys(["pencil", "graphite", "pencils"], "pencil"),
    "charcoal": "charcoal",
    **dict.fromkeys(["marker", "markers", "felt"], "marker"),
    **dict.fromkeys(["pastel", "pastels", "chalk"], "pastel"),
    **dict.fromkeys(["crayon", "crayons"], "crayon"),
    # "paint" itself is left out: "paint a boat in pastel" asks for pastel.
    **dict.fromkeys(["oil", "oils", "acrylic", "acrylics", "gouache", "tempera"], "paint"),
}
MEDIA: tuple[str, ...] = ("watercolour", "ink", "pencil", "charcoal", "marker", "pastel", "crayon", "paint")
SUBJECT_BUCKETS = 16
# Words that say nothing about the subject (and would only add noise to its buckets).
_STOP = frozenset("""a an the of in on at with and or for to by from into over under against draw paint sketch
painting drawing picture some two three small large big little soft single bowl bunch field""".split())
_WORD = re.compile(r"[a-z]+")
_KEY = re.compile(r"[a-z0-9]+")
# "in charcoal" names a medium, not a grey painting: a word that is both counts as a medium only.
_COLOUR_ONLY = frozenset(COLOUR_WORDS) - frozenset(MEDIUM_WORDS)

PROMPT_NAMES: tuple[str, ...] = (
    *(f"colour_{g}" for g in ALL_GROUPS), "colour_none",
    *(f"medium_{m}" for m in MEDIA), "medium_none",
    *(f"subject_{i}" for i in range(SUBJECT_BUCKETS)),
)
SHARE_NAMES: tuple[str, ...] = tuple(f"share_{g}" for g in ALL_GROUPS)
CONTEXT_NAMES: tuple[str, ...] = (*SHARE_NAMES, *PROMPT_NAMES)
CONTEXT_DIM = len(CONTEXT_NAMES)
# The crossings the network computes from a context (net.crossing), and the colour tables they use.
CROSS_NAMES: tuple[str, ...] = ("prompt_colour_share", "prompt_colour_near_share", "other_colour_max_share")
NEAR = np.array([[1.0 if n == g or n in NEIGHBOURS[g] else 0.0 for n in ALL_GROUPS] for g in ALL_GROUPS], np.float32)
CHROMATIC = np.array([g != "neutral" for g in ALL_GROUPS])


def prompt_key(prompt: str | None) -> str:
    """The prompt as the held-out split sees it: demo label dropped, lower case, words and numbers only."""
    return " ".join(_KEY.findall((strip_demo(prompt) or "").lower()))


def prompt_colours(prompt: str | None) -> dict[str, float]:
    """Colour group → weight (summing to 1) for every colour word of the prompt; {} when it names none."""
    groups = [COLOUR_WORDS[w] for w in _WORD.findall((strip_demo(prompt) or "").lower()) if w in _COLOUR_ONLY]
    return {g: groups.count(g) / len(groups) for g in dict.fromkeys(groups)}


def prompt_vector(prompt: str | None) -> np.ndarray:
    """(len(PROMPT_NAMES),) float32: colour groups, medium, hashed subject words."""
    words = _WORD.findall((strip_demo(prompt) or "").lower())
    out = np.zeros(len(PROMPT_NAMES), np.float32)
    colours = prompt_colours(prompt)
    for g, w in colours.items():
        out[ALL_GROUPS.index(g)] = w
    out[len(ALL_GROUPS)] = 0.0 if colours else 1.0
    base = len(ALL_GROUPS) + 1
    media = {MEDIUM_WORDS[w] for w in words if w in MEDIUM_WORDS}
    for m in media:
        out[base + MEDIA.index(m)] = 1.0 / len(media)
    out[base + len(MEDIA)] = 0.0 if media else 1.0
    base += len(MEDIA) + 1
    subject = [w for w in words if w not in _STOP and w not in COLOUR_WORDS and w not in MEDIUM_WORDS]
    for w in subject:
        out[base + zlib.crc32(w.encode()) % SUBJECT_BUCKETS] += 1.0 / len(subject)
    return out


def shares_vector(shares: dict[str, float]) -> np.ndarray:
    """A painting's share of paint per colour group (core.pool.colour.analyse's shares) as a vector."""
    return np.asarray([shares.get(g, 0.0) for g in ALL_GROUPS], np.float32)


def context(prompt: str | None, shares: np.ndarray) -> np.ndarray:
    """(CONTEXT_DIM,) float32: the painting's colour shares, then the prompt vector (net.crossing crosses them)."""
    return np.concatenate([shares.astype(np.float32), prompt_vector(prompt)])


def contexts(prompts: list[str | None], shares: np.ndarray) -> np.ndarray:
    """(n, CONTEXT_DIM) for n (prompt, shares) rows."""
    if not prompts:
        return np.zeros((0, CONTEXT_DIM), np.float32)
    return np.stack([context(p, s) for p, s in zip(prompts, shares, strict=True)])
