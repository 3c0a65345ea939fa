"""Renders the subject recogniser never trains on, shipped with the tests: does it know a subject it has not seen?

The recogniser's own held-out score is measured on the same sketch families it trains on (a fifth of the
same corpus draw), so it cannot see what a policy writes instead: a word typeset with a pen, a hatched
square, a lone disc, a scribble. tests/fixtures/subject_eval_inks.npz holds ink maps (128 px, quantised to
1/255, as tests/subject_inks.py) of

- careful corpus sketches of every subject at every size and place, drawn from their own seed (none of
  their code is in any training set of `training_sketches`), colour and medium at random;
- the corpus's large blue house in the centre, in every medium (at 5 ΔE its watercolour roof fell out of
  the figure and the recogniser read "none");
- negatives written here, none of them a training family: the subject words typeset in pen strokes,
  hatched squares, lone discs and scribbles.

Sketch i renders with seed RENDER_SEED + i unless it names its own. `python -m tests.subject_eval_inks`
(from the repository root) renders them again and rewrites the file.
"""
from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

try:
    from subject_inks import code_hash
except ImportError:  # run as `python -m tests.subject_eval_inks`
    from tests.subject_inks import code_hash

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "subject_eval_inks.npz"
REGENERATE = "python -m tests.subject_eval_inks"
SEED = 20261208
RENDER_SEED = 100_000
PENS = ("pen", "HB", "2B", "charcoal", "marker", "cpencil", "rotring")
# A stroke font on the unit box (x right, y down): enough letters for the subject words.
GLYPHS = {
    "A": [[0, 1, 0.5, 0], [0.5, 0, 1, 1], [0.25, 0.55, 0.75, 0.55]],
    "B": [[0, 0, 0, 1], [0, 0, 0.8, 0.25], [0.8, 0.25, 0, 0.5], [0, 0.5, 1, 0.75], [1, 0.75, 0, 1]],
    "E": [[0, 0, 0, 1], [0, 0, 1, 0], [0, 0.5, 0.7, 0.5], [0, 1, 1, 1]],
    "F": [[0, 0, 0, 1], [0, 0, 1, 0], [0, 0.5, 0.7, 0.5]],
    "H": [[0, 0, 0, 1], [1, 0, 1, 1], [0, 0.5, 1, 0.5]],
    "I": [[0.5, 0, 0.5, 1]],
    "L": [[0, 0, 0, 1], [0, 1, 1, 1]],
    "M": [[0, 1, 0, 0], [0, 0, 0.5, 0.6], [0.5, 0.6, 1, 0], [1, 0, 1, 1]],
    "N": [[0, 1, 0, 0], [0, 0, 1, 1], [1, 1, 1, 0]],
    "O": [[0, 0, 1, 0], [1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 0, 0]],
    "P": [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 1, 0.5], [1, 0.5, 0, 0.5]],
    "R": [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 1, 0.5], [1, 0.5, 0, 0.5], [0, 0.5, 1, 1]],
    "S": [[1, 0, 0, 0.2], [0, 0.2, 1, 0.8], [1, 0.8, 0, 1]],
    "T": [[0, 0, 1, 0], [0.5, 0, 0.5, 1]],
    "U": [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]],
    "W": [[0, 0, 0.25, 1], [0.25, 1, 0.5, 0.4], [0.5, 0.4, 0.75, 1], [0.75, 1, 1, 0]],
}


def _page(rng: random.Random, body: list[str]) -> str:
    from core.train.corpus import PAPER  # deferred: every test session imports this file via conftest

    return "\n".join(["function setup() {", "  createCanvas(512, 512, WEBGL);", f'  background("{PAPER}");',
                      f"  brush.scaleBrushes({rng.choice((1.5, 2))});", *body, "}"]) + "\n"


def _ink(rng: random.Random) -> str:
    from core.train.corpus import COLOURS  # deferred: see _page

    return rng.choice(list(COLOURS.values()))


def word_code(rng: random.Random, word: str) -> str:
    """`word` in capitals, one pen stroke per bar, somewhere on the page."""
    h = rng.uniform(40, 110)
    w = h * rng.uniform(0.45, 0.7)
    gap = w * 1.35
    x0 = rng.uniform(-230, 230 - gap * len(word)) if gap * len(word) < 460 else -230
    y0 = rng.uniform(-200, 200 - h)
    body = [f'  brush.set("{rng.choice(PENS)}", "{_ink(rng)}", {rng.choice((1.5, 2, 3))});']
    for i, ch in enumerate(word):
        x = x0 + i * gap
        body += [f"  brush.line({x + a * w:.0f}, {y0 + b * h:.0f}, {x + c * w:.0f}, {y0 + d * h:.0f});"
                 for a, b, c, d in GLYPHS[ch]]
    return _page(rng, body)


def hatched_square(rng: random.Random) -> str:
    s = rng.uniform(100, 300)
    x, y = rng.uniform(-250, 250 - s), rng.uniform(-250, 250 - s)
    body = [f'  brush.set("{rng.choice(PENS)}", "{_ink(rng)}", {rng.choice((1, 1.5, 2))});',
            f"  brush.hatch({rng.randint(6, 20)}, {rng.uniform(0, 3.1):.2f});"]
    if rng.random() < 0.4:
        body.append(f'  brush.fill("{_ink(rng)}", {rng.randint(120, 220)});')
    return _page(rng, [*body, f"  brush.rect({x:.0f}, {y:.0f}, {s:.0f}, {s:.0f});"])


def scribble(rng: random.Random) -> str:
    body = []
    for _ in range(rng.randint(1, 3)):
        cx, cy, spread = rng.uniform(-100, 100), rng.uniform(-100, 100), rng.uniform(50, 150)
        pts = [[round(cx + rng.uniform(-spread, spread)), round(cy + rng.uniform(-spread, spread))]
               for _ in range(rng.randint(6, 40))]
        body += [f'  brush.set("{rng.choice(PENS)}", "{_ink(rng)}", {rng.choice((1, 2))});',
                 f"  brush.spline({json.dumps(pts)}, 0.5);"]
    return _page(rng, body)


def disc(rng: random.Random) -> str:
    r, x, y = rng.uniform(40, 180), rng.uniform(-120, 120), rng.uniform(-120, 120)
    return _page(rng, ["  brush.noStroke();", f'  brush.fill("{_ink(rng)}", {rng.randint(150, 230)});',
                       f"  brush.circle({x:.0f}, {y:.0f}, {r:.0f});"])


def sketches() -> list[tuple[dict, str]]:
    """(what it is, code) of every evaluation sketch; `what` has "label" (a subject or "none") and, for the
    corpus, "size", or, for a negative, "family"."""
    from core.reward.subject.sketches import NONE, training_sketches  # deferred: see _page
    from core.train.corpus import COLOURS, MEDIA, PLACES, SIZES, SUBJECTS, Spec, sketch_code

    trained = {code for _, code in training_sketches(16, 48, 0)} | {code for _, code in training_sketches(8, 24, 0)}
    rng = random.Random(SEED)
    out: list[tuple[dict, str]] = []
    for subject in SUBJECTS:
        for size in SIZES:
            for place in PLACES:
                code = next(c for c in (sketch_code(Spec(subject, rng.choice(list(COLOURS)), rng.choice(list(MEDIA)),
                                                         place, size), seed=rng.randrange(1 << 30) + (1 << 31))
                                        for _ in range(10)) if c not in trained)
                out.append(({"label": subject, "size": size or "normal", "family": "corpus"}, code))
    for medium in MEDIA:
        code = sketch_code(Spec("house", "blue", medium, "in the centre", "large"), seed=rng.randrange(1 << 30))
        out.append(({"label": "house", "size": "large", "family": f"large blue house, {medium}"}, code))
    # the real painting tests/reward/reward_helpers.py renders for this prompt (code seed 1, render seed 0): its
    # pale roof fell out of the v1 figure and the recogniser read a square, "none" (house 0.04)
    out.append(({"label": "house", "size": "large", "family": "large blue house, the cheats' real painting",
                 "render_seed": 0}, sketch_code(Spec("house", "blue", "watercolour", "in the centre", "large"), seed=1)))
    words = [s.upper() for s in SUBJECTS]
    out += [({"label": NONE, "family": "word", "word": words[i % len(words)]}, word_code(rng, words[i % len(words)]))
            for i in range(16)]
    for family, make, count in (("hatched", hatched_square, 12), ("disc", disc, 8), ("scribble", scribble, 8)):
        out += [({"label": NONE, "family": family}, make(rng)) for _ in range(count)]
    return out


def load(path: Path = FIXTURE) -> tuple[list[tuple[dict, np.ndarray]], list[str]]:
    """(what it is, float32 ink map) of every shipped render, and the hashes of their sketches' code."""
    with np.load(path) as data:
        inks = data["inks"].astype(np.float32) / 255.0
        whats = json.loads(str(data["whats"]))
        hashes = [str(x) for x in data["hashes"]]
    return list(zip(whats, inks, strict=True)), hashes


def main() -> int:
    """Render the evaluation sketches through the sandbox and rewrite the fixture."""
    from core.reward.subject.train import render_inks

    made = sketches()
    t0 = time.perf_counter()
    rendered = asyncio.run(render_inks([(what["label"], code) for what, code in made], 128,
                                       seeds=[what.get("render_seed", RENDER_SEED + i) for i, (what, _) in enumerate(made)],
                                       on_progress=lambda _s, done, total: print(f"\r{done}/{total}", end="")))
    print()
    if len(rendered) != len(made):
        print(f"{len(made) - len(rendered)} of {len(made)} sketches did not render; the fixture is unchanged. "
              "Check `brushwork doctor` and run again.", file=sys.stderr)
        return 1
    inks = np.stack([np.round(np.clip(ink, 0.0, 1.0) * 255.0).astype(np.uint8) for _, ink in rendered])
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(FIXTURE, inks=inks, whats=json.dumps([what for what, _ in made]),
                        hashes=np.array([code_hash(code) for _, code in made]))
    print(f"wrote {FIXTURE.name}: {len(made)} renders in {time.perf_counter() - t0:.0f} s, "
          f"{FIXTURE.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
