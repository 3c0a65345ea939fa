"""The sketches of the demo pool: starters (love), washed-out variations (okay), poor procedural ones (nope).

Each is real p5.brush code for the real renderer, so the demo pool's pictures are what a model's
sketches look like, good and bad. The poor ones are the failures a reward must not love: a flat
fill, one blob, a scribble, a clip-art five-petal flower.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from core.paths import STARTERS
from core.sketch.files import read_sketch_text

# A colour word per nope sketch keeps the prompts (and colour groups) as varied as the starters'.
_COLOURS = {"red": "#d7263d", "peach": "#ff8c42", "yellow": "#f5d300", "green": "#4caf50",
            "blue": "#1e5aa8", "purple": "#8e44ad", "pink": "#ff69b4", "brown": "#8b5a2b"}
_SUBJECTS = ("flower", "poppy", "sunflower", "iris", "hibiscus", "tulip", "rose", "lily")
_MUD = (128, 118, 105)   # a grey-brown that every colour is pulled toward in the "okay" variation
_HEX = re.compile(r"#([0-9a-fA-F]{6})\b")
_PROMPT = re.compile(r"^//\s*prompt:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class DemoSketch:
    name: str
    code: str
    prompt: str
    tier: str
    seed: int = 0


def _starter_prompt(code: str, name: str) -> str:
    m = _PROMPT.search(code)
    return m.group(1).strip() if m else name


def muddy(code: str, amount: float = 0.6, brush_scale: float = 0.6) -> str:
    """A washed-out variation: every hex colour pulled toward grey-brown, brushes thinner."""
    def mix(m: re.Match) -> str:
        rgb = [int(m.group(1)[i:i + 2], 16) for i in (0, 2, 4)]
        out = [round(c + (g - c) * amount) for c, g in zip(rgb, _MUD, strict=True)]
        return "#" + "".join(f"{c:02x}" for c in out)

    code = _HEX.sub(mix, code)
    return re.sub(r"brush\.scaleBrushes\(([\d.]+)\)",
                  lambda m: f"brush.scaleBrushes({float(m.group(1)) * brush_scale:.2f})", code)


def starter_sketches(love_seeds: int = 2) -> list[DemoSketch]:
    """Each starter at `love_seeds` seeds as love, and one washed-out variation as okay.

    The one-line starter is a technical demo, not a painting: it is okay, not love.
    """
    out: list[DemoSketch] = []
    for path in sorted(STARTERS.glob("*.js")):
        code = read_sketch_text(path)
        prompt = _starter_prompt(code, path.stem)
        if "simple-line" in path.stem:
            out.append(DemoSketch(path.stem, code, prompt, "okay"))
            continue
        out += [DemoSketch(f"{path.stem}@{s}", code, prompt, "love", s) for s in range(love_seeds)]
        out.append(DemoSketch(f"{path.stem}~muddy", muddy(code), prompt, "okay", 7))
    return out


def _canvas(body: str, paper: str = "#f4efe4") -> str:
    return ("function setup() {\n  createCanvas(512, 512, WEBGL);\n"
            f"  background('{paper}');\n{body}\n  noLoop();\n}}\n")


def flat_fill(colour: str, rng: random.Random) -> str:
    """The canvas flooded with the prompt's colour (the classic cheat on colour adherence)."""
    inset = rng.randint(0, 30)
    return _canvas(f"  noStroke();\n  fill('{colour}');\n  rect({-256 + inset}, {-256 + inset}, "
                   f"{512 - 2 * inset}, {512 - 2 * inset});\n  brush.set('pen', '#222222', 1);\n"
                   "  brush.line(-200, 200, -190, 200);")


def one_blob(colour: str, rng: random.Random) -> str:
    """A single giant disc of the prompt's colour (and one token brush line so it "uses brush")."""
    x, y, r = rng.randint(-40, 40), rng.randint(-40, 40), rng.randint(150, 210)
    return _canvas(f"  noStroke();\n  fill('{colour}');\n  circle({x}, {y}, {2 * r});\n"
                   f"  brush.set('pen', '{colour}', 1);\n  brush.line({x - r}, {y + r + 10}, {x - r + 20}, {y + r + 10});")


def scribble(colour: str, rng: random.Random) -> str:
    """A handful of random pen lines: brush is used, nothing is painted."""
    pts = [(rng.randint(-230, 230), rng.randint(-230, 230)) for _ in range(rng.randint(5, 12))]
    lines = "\n".join(f"  brush.line({a[0]}, {a[1]}, {b[0]}, {b[1]});" for a, b in zip(pts, pts[1:], strict=False))
    return _canvas(f"  brush.set('pen', '{colour}', 1);\n{lines}")


def clipart_flower(colour: str, rng: random.Random) -> str:
    """The reward-hacking attractor of the first rubric: five round petals, a disc and a stick stem."""
    r, d = rng.randint(45, 70), rng.randint(55, 80)
    petals = "\n".join(
        f"  ellipse({round(d * math.cos(i * 1.2566 + 0.3))}, "
        f"{round(d * math.sin(i * 1.2566 + 0.3)) - 40}, {2 * r}, {2 * r});" for i in range(5))
    return _canvas(f"  stroke('#000000');\n  strokeWeight(4);\n  fill('#2e8b22');\n  rect(-6, 40, 12, 210);\n"
                   f"  fill('{colour}');\n{petals}\n  fill('#ffd700');\n  ellipse(0, -40, 70, 70);\n"
                   "  brush.set('pen', '#000000', 1);\n  brush.line(0, 250, 0, 240);", paper="#ffffff")


NOPE_MAKERS = (flat_fill, one_blob, scribble, clipart_flower)


def nope_sketches(per_kind: int = 5, seed: int = 0) -> list[DemoSketch]:
    """`per_kind` poor sketches of each kind, in varied colours, with prompts naming that colour."""
    rng = random.Random(seed)
    out = []
    for maker in NOPE_MAKERS:
        for i in range(per_kind):
            word = rng.choice(sorted(_COLOURS))
            prompt = f"draw a {word} {rng.choice(_SUBJECTS)} in watercolour"
            out.append(DemoSketch(f"{maker.__name__}-{i}", maker(_COLOURS[word], rng), prompt, "nope", i))
    return out


def demo_sketches(love_seeds: int = 2, nope_per_kind: int = 5) -> list[DemoSketch]:
    """Everything the demo pool renders: about 60 sketches with the defaults."""
    return starter_sketches(love_seeds) + nope_sketches(nope_per_kind)
