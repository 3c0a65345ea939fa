"""The recogniser's training sketches: the procedural corpus by subject, and negatives that are no subject.

Positives are `core.train.corpus.sketch_code` for random specs of each subject (every colour, medium,
place and size). Negatives are what a policy writes instead of a picture: scribbles, clusters of short
strokes, lone blobs, floods and washes, stripes, lattices and grids of swatches or dots, rings and
spirals, rows of letter-like strokes, squares of noise. Each family draws its parameters from a seeded
RNG, so the same (family, seed) always gives the same code.
"""
from __future__ import annotations

import json
import math
import random
from collections.abc import Callable

from core.train.corpus import COLOURS, MEDIA, PAPER, PLACES, SIZES, SUBJECTS, Spec, sketch_code

NONE = "none"  # the class of every negative
LABELS: tuple[str, ...] = (*SUBJECTS, NONE)
_INKS = list(COLOURS.values())
_PENS = ("pen", "HB", "2B", "charcoal", "marker", "cpencil", "rotring")


def positive_code(subject: str, rng: random.Random) -> str:
    """A corpus sketch of `subject` with a random colour, medium, place and size."""
    spec = Spec(subject, rng.choice(list(COLOURS)), rng.choice(list(MEDIA)), rng.choice(list(PLACES)),
                rng.choice(list(SIZES)))
    return sketch_code(spec, seed=rng.randrange(1 << 30))


def _head(rng: random.Random) -> list[str]:
    return ["function setup() {", "  createCanvas(512, 512, WEBGL);", f'  background("{PAPER}");',
            f"  brush.scaleBrushes({rng.choice((1, 1.5, 2, 2.5))});"]


def _pen(rng: random.Random, colour: str | None = None) -> str:
    return f'  brush.set("{rng.choice(_PENS)}", "{colour or rng.choice(_INKS)}", {rng.choice((1, 1.5, 2))});'


def _wash(rng: random.Random, colour: str | None = None) -> list[str]:
    return ["  brush.noStroke();", f'  brush.fill("{colour or rng.choice(_INKS)}", {rng.randint(120, 255)});']


def _n(v: float) -> int:
    return int(round(v))


def _points(pts: list[list[int]]) -> str:
    return json.dumps(pts, separators=(",", ":"))


def _scribble(rng: random.Random) -> list[str]:
    cx, cy, spread = rng.uniform(-120, 120), rng.uniform(-120, 120), rng.uniform(40, 160)
    pts = [[_n(cx + rng.uniform(-spread, spread)), _n(cy + rng.uniform(-spread, spread))] for _ in range(rng.randint(8, 60))]
    return [_pen(rng), f"  brush.spline({_points(pts)}, {rng.choice((0.3, 0.5, 0.8))});"]


def _strokes(rng: random.Random) -> list[str]:
    cx, cy, sd, length = rng.uniform(-100, 100), rng.uniform(-100, 100), rng.uniform(30, 120), rng.uniform(5, 40)
    inks = [rng.choice(_INKS) for _ in range(rng.randint(1, 3))]
    out = []
    for _ in range(rng.randint(20, 160)):
        x, y = rng.gauss(cx, sd), rng.gauss(cy, sd)
        a = rng.uniform(0, math.pi) if rng.random() < 0.7 else 0.6
        out += [_pen(rng, rng.choice(inks)),
                f"  brush.line({_n(x)}, {_n(y)}, {_n(x + length * math.cos(a))}, {_n(y + length * math.sin(a))});"]
    return out


def _blob(rng: random.Random) -> list[str]:
    x, y, r = rng.uniform(-120, 120), rng.uniform(-120, 120), rng.uniform(30, 200)
    out = _wash(rng) if rng.random() < 0.7 else [_pen(rng), "  brush.noFill();"]
    if rng.random() < 0.5:
        out.append(f"  brush.circle({_n(x)}, {_n(y)}, {_n(r)}, {rng.choice(('true', '0.5', '0'))});")
    else:
        k = rng.randint(5, 12)
        pts = [[_n(x + r * rng.uniform(0.6, 1.2) * math.cos(2 * math.pi * i / k)),
                _n(y + r * rng.uniform(0.4, 1.0) * math.sin(2 * math.pi * i / k))] for i in range(k)]
        out.append(f"  brush.polygon({_points(pts)});")
    if rng.random() < 0.4:
        out += [_pen(rng), "  brush.noFill();", f"  brush.circle({_n(x)}, {_n(y)}, {_n(r * 1.05)});"]
    for _ in range(rng.choice((0, 0, 1, 2))):  # a stray mark or two beside it: still no subject
        a, d = rng.uniform(0, 2 * math.pi), r * rng.uniform(0.8, 1.4)
        sx, sy = x + d * math.cos(a), y + d * math.sin(a)
        out += [_pen(rng), f"  brush.line({_n(sx)}, {_n(sy)}, {_n(sx + rng.uniform(-90, 90))}, {_n(sy + rng.uniform(-60, 60))});"]
    return out


def _flood(rng: random.Random) -> list[str]:
    out = []
    bands = rng.randint(1, 4)
    top = -260
    for i in range(bands):
        h = 520 if bands == 1 else rng.randint(80, 300)
        out += _wash(rng) + [f"  brush.rect(-260, {top}, 520, {h});"]
        top += h if i < bands - 1 else 0
    return out


def _stripes(rng: random.Random) -> list[str]:
    count, gap = rng.randint(6, 30), rng.uniform(8, 30)
    vertical = rng.random() < 0.6
    out = []
    for i in range(count):
        p = -count * gap / 2 + i * gap
        if rng.random() < 0.5:
            out.append(_pen(rng))
            out.append(f"  brush.line({_n(p)}, -200, {_n(p)}, 200);" if vertical else f"  brush.line(-200, {_n(p)}, 200, {_n(p)});")
        else:
            w = rng.uniform(3, gap * 0.8)
            out += _wash(rng) + [f"  brush.rect({_n(p)}, -200, {_n(w)}, 400);" if vertical else f"  brush.rect(-200, {_n(p)}, 400, {_n(w)});"]
    return out


def _grid(rng: random.Random) -> list[str]:
    rows, cols, step = rng.randint(2, 6), rng.randint(2, 6), rng.uniform(40, 110)
    kind = rng.choice(("rect", "circle", "lattice"))
    out = []
    if kind == "lattice":
        for i in range(-cols, cols + 1):
            out += [_pen(rng), f"  brush.line({_n(i * step / 2)}, -220, {_n(i * step / 2)}, 220);",
                    f"  brush.line(-220, {_n(i * step / 2)}, 220, {_n(i * step / 2)});"]
        return out
    for i in range(rows):
        for j in range(cols):
            x, y, s = (j - cols / 2) * step, (i - rows / 2) * step, step * rng.uniform(0.3, 0.8)
            out += _wash(rng)
            out.append(f"  brush.rect({_n(x)}, {_n(y)}, {_n(s)}, {_n(s)});" if kind == "rect" else f"  brush.circle({_n(x)}, {_n(y)}, {_n(s / 2)});")
    return out


def _rings(rng: random.Random) -> list[str]:
    x, y = rng.uniform(-60, 60), rng.uniform(-60, 60)
    if rng.random() < 0.5:
        return [line for r in range(rng.randint(10, 40), 220, rng.randint(12, 40))
                for line in (_pen(rng), f"  brush.circle({_n(x)}, {_n(y)}, {r});")]
    turns, gain = rng.uniform(2, 6), rng.uniform(4, 14)
    pts = [[_n(x + math.cos(a) * a * gain), _n(y + math.sin(a) * a * gain)]
           for a in (i * 0.25 for i in range(int(turns * 2 * math.pi / 0.25)))]
    return [_pen(rng), f"  brush.spline({_points(pts)}, 0.5);"]


def _letters(rng: random.Random) -> list[str]:
    out, x0, y0 = [], rng.uniform(-230, -120), rng.uniform(-150, 100)
    h, w = rng.uniform(30, 90), rng.uniform(18, 45)
    for line_no in range(rng.randint(1, 3)):
        for i in range(rng.randint(3, 9)):
            x, y = x0 + i * w * 1.4, y0 + line_no * h * 1.3
            out.append(_pen(rng))
            for _ in range(rng.randint(2, 4)):
                a, b = rng.choice((0, 0.5, 1)), rng.choice((0, 0.5, 1))
                c, d = rng.choice((0, 0.5, 1)), rng.choice((0, 0.5, 1))
                out.append(f"  brush.line({_n(x + a * w)}, {_n(y + b * h)}, {_n(x + c * w)}, {_n(y + d * h)});")
    return out


def _noise(rng: random.Random) -> list[str]:
    side, cell = rng.uniform(80, 300), rng.uniform(4, 14)
    out = ["  brush.noStroke();"]
    for _ in range(rng.randint(80, 250)):
        out += [f'  brush.fill("{rng.choice(_INKS)}", 255);',
                f"  brush.rect({_n(rng.uniform(-side / 2, side / 2))}, {_n(rng.uniform(-side / 2, side / 2))}, {_n(cell)}, {_n(cell)});"]
    return out


NEGATIVE_FAMILIES: dict[str, Callable[[random.Random], list[str]]] = {
    "scribble": _scribble, "strokes": _strokes, "blob": _blob, "flood": _flood, "stripes": _stripes,
    "grid": _grid, "rings": _rings, "letters": _letters, "noise": _noise,
}


def negative_code(family: str, rng: random.Random) -> str:
    """A sketch of negative `family` (one of NEGATIVE_FAMILIES), sometimes two families on one page."""
    body = NEGATIVE_FAMILIES[family](rng)
    if rng.random() < 0.25:
        body += NEGATIVE_FAMILIES[rng.choice(list(NEGATIVE_FAMILIES))](rng)
    return "\n".join([*_head(rng), *body, "}"]) + "\n"


# The order negatives are drawn in: a lone blob (a disc where the apple, sun or tree should be) is the
# cheapest thing a policy paints and the nearest to three subjects, so it comes up three times as often,
# scattered strokes twice.
NEGATIVE_MIX = ("blob", "strokes", "scribble", "blob", "flood", "stripes", "blob", "grid", "strokes", "rings",
                "letters", "noise")


def training_sketches(per_subject: int, negatives: int, seed: int = 0) -> list[tuple[str, str]]:
    """(label, code) pairs: `per_subject` corpus sketches of every subject and `negatives` negatives."""
    rng = random.Random(seed)
    items = [(subject, positive_code(subject, rng)) for subject in SUBJECTS for _ in range(per_subject)]
    items += [(NONE, negative_code(NEGATIVE_MIX[i % len(NEGATIVE_MIX)], rng)) for i in range(negatives)]
    return items
