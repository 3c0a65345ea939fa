"""A rated pool where the same hues are loved or not depending on the prompt's colour (test material).

Every prompt names a colour ("draw a scarlet boat in ink"). Its `love_per_prompt` paintings are in
that colour; its `nope_per_prompt` paintings are in other colours of the same palette, picked by a
fixed cyclic shift, so over the whole pool every hue is loved exactly as often as it is not: an
image-only model has nothing to learn, while one that reads the prompt's colour can tell them apart.
The paintings are otherwise alike (tests.synthetic_paintings blobs, no leaves, seeded). Colour words vary
(synonyms from core.pool.colour's vocabulary), so held-out prompts can use words never trained on.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Sequence

from core.pool import RatingPool
from tests.synthetic_paintings import synthetic_painting

# group → (swatch painted, words a prompt may use for it); hues far enough apart to be classified apart.
PALETTE: dict[str, tuple[str, tuple[str, ...]]] = {
    "red": ("#c8283a", ("red", "crimson", "scarlet")),
    "yellow": ("#f2c72e", ("yellow", "golden", "lemon")),
    "green": ("#3f9a4a", ("green", "emerald", "olive")),
    "blue": ("#2f62c0", ("blue", "cobalt", "navy")),
    "purple": ("#7d4fb0", ("purple", "violet", "plum")),
    "pink": ("#ec7fb0", ("pink", "fuchsia", "blush")),
}
SUBJECTS = ("flower", "boat", "house", "fish", "apple", "kite", "bird", "teapot")
MEDIA = ("watercolour", "ink", "pastel", "pencil")
NOPE_SHIFTS = (2, 3)  # the nope paintings of a prompt of colour i are colours i+2, i+3 (mod 6): hue-balanced


def prompts(n: int, offset: int = 0, groups: Sequence[str] = tuple(PALETTE),
            words: Sequence[int] = (0, 1, 2)) -> list[tuple[str, str]]:
    """n distinct (prompt, colour group) pairs, cycling through `groups`, each colour said with the synonyms
    numbered `words` (the wordings of each group in a seeded order)."""
    wordings = {}
    for g in groups:
        combos = list(itertools.product([PALETTE[g][1][w] for w in words], SUBJECTS, MEDIA))
        random.Random(g).shuffle(combos)
        wordings[g] = combos
    out = []
    for k in range(offset, offset + n):
        group = groups[k % len(groups)]
        word, subject, medium = wordings[group][k // len(groups)]
        out.append((f"draw a {word} {subject} in {medium}", group))
    return out


def fill_prompt_pool(pool: RatingPool, n_prompts: int = 48, love_per_prompt: int = 2, offset: int = 0,
                     size: int = 96, groups: Sequence[str] = tuple(PALETTE),
                     words: Sequence[int] = (0, 1, 2)) -> Counter[tuple[str, str]]:
    """Add and rate the pool (prompts naming `groups` with synonyms `words`); returns paintings per (hue, tier)."""
    palette = list(PALETTE)
    painted_count: Counter[tuple[str, str]] = Counter()
    seed = 10_000 * (offset + 1)
    for prompt, group in prompts(n_prompts, offset, groups, words):
        i = palette.index(group)
        painted = [(group, "love")] * love_per_prompt
        painted += [(palette[(i + s) % len(palette)], "nope") for s in NOPE_SHIFTS] * max(1, love_per_prompt // 2)
        for colour, tier in painted:
            seed += 1
            png = synthetic_painting(PALETTE[colour][0], size=size, seed=seed, leaves=False)
            pool.rate(pool.add_image(png, prompt=prompt, source="supplement").image.id, tier)
            painted_count[colour, tier] += 1
    return painted_count

