"""Procedural SFT corpus: prompts whose words decide the picture, and valid p5.brush 2.x code.

Each prompt is "draw a [size] COLOUR SUBJECT PLACE in MEDIUM". The words map one to one onto the code:
the colour word picks the hex of the subject's main shapes, the subject picks the shapes, the place and
size move and scale them (WEBGL canvas, origin at the centre, y down), and the medium picks watercolour
fills or outlines with a pen, pencil, charcoal or marker. Only the eight allowlisted `brush.*` methods
are used. A tiny model can learn this mapping, so a reward that checks it (colour, structure) has
something honest to pull on. Prompts fall in three disjoint sets by their (subject, colour, medium)
triple: training, model selection (SFT's stopping rule) and held-out (progress), see split_of.

The SFT corpus is not all careful work: in CARELESS_SHARE of its sketches the last part of the subject is
left out (the flower's centre, the fish's eye, the apple's leaf, the house's door, the tree's crown...),
as in any real collection of drawings. The prompt does not decide it, so a model trained on the corpus
makes that choice by chance; offline-default prefers the careful sketch of every subject (by a lot for
the tree, a little for the sun or the flower: `brushwork bench careless`), which is what GRPO can learn on
training prompts and carry to held-out ones. A corpus that maps each prompt to one picture leaves GRPO
nothing to learn but avoiding its own sampling slips.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

PAPER = "#f4efe4"
COLOURS = {
    "red": "#d62828", "orange": "#f77f00", "yellow": "#f2c014", "green": "#2a9d4f", "blue": "#1f5fbf",
    "purple": "#7b3fa0", "pink": "#e86aa8", "brown": "#8a5a2b", "black": "#222222",
}
LEAF, TRUNK, SEA = "#3f7d3a", "#7a5230", "#6fa8dc"
# medium -> brush used for outlines (watercolour fills its shapes and outlines nothing).
MEDIA = {"watercolour": None, "ink": "pen", "pencil": "HB", "charcoal": "charcoal", "marker": "marker"}
PLACES = {"on the left": -130, "in the centre": 0, "on the right": 130}
SIZES = {"small": 0.6, "": 1.0, "large": 1.35}
SUBJECTS = ("sun", "flower", "tree", "house", "mountain", "boat", "fish", "apple")
CARELESS_SHARE = 0.4  # share of the SFT corpus whose sketch leaves the subject's last part out
CORPUS_VERSION = 2  # in each SFT report; 1 (before 2026-12-07): every sketch careful


@dataclass(frozen=True)
class Spec:
    """What one prompt asks for."""

    subject: str
    colour: str
    medium: str
    place: str
    size: str = ""

    @property
    def prompt(self) -> str:
        size = f"{self.size} " if self.size else ""
        return f"draw a {size}{self.colour} {self.subject} {self.place} in {self.medium}"


# A shape: (method, args, colour or None for the prompt's colour).
Shape = tuple[str, tuple, str | None]


def _shapes(subject: str, x: float, s: float, rng: random.Random) -> list[Shape]:
    """The subject's shapes centred at (x, 0) and scaled by s; jitter keeps samples varied."""
    def j(v: float) -> int:
        return int(round(v + rng.choice((-10, -5, 0, 5, 10))))

    def n(v: float) -> int:
        return int(round(v))

    if subject == "sun":
        r = 70 * s
        rays = [("line", (n(x + r * 1.3 * c), n(r * 1.3 * d), n(x + r * 1.8 * c), n(r * 1.8 * d)), None)
                for c, d in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7))]
        return [("circle", (n(x), j(0), n(r)), None), *rays]
    if subject == "flower":
        r = 28 * s
        petals = [("circle", (n(x + r * c), n(-60 * s + r * d), n(r)), None) for c, d in ((1, 0), (-1, 0), (0, 1), (0, -1))]
        return [("line", (n(x), n(-40 * s), n(x), j(170 * s)), LEAF), *petals,
                ("circle", (n(x), n(-60 * s), n(r * 0.7)), "#f2c014")]
    if subject == "tree":
        return [("rect", (n(x - 15 * s), n(20 * s), n(30 * s), j(150 * s)), TRUNK),
                ("circle", (n(x), n(-40 * s), j(90 * s)), None)]
    if subject == "house":
        w = 160 * s
        return [("rect", (n(x - w / 2), n(-20 * s), n(w), n(140 * s)), None),
                ("polygon", ([[n(x - w / 2 - 15), n(-20 * s)], [n(x), j(-120 * s)], [n(x + w / 2 + 15), n(-20 * s)]],), TRUNK),
                ("rect", (n(x - 20 * s), n(50 * s), n(40 * s), n(70 * s)), TRUNK)]
    if subject == "mountain":
        w = 150 * s
        return [("polygon", ([[n(x - w), n(140 * s)], [j(x), n(-130 * s)], [n(x + w), n(140 * s)]],), None),
                ("polygon", ([[n(x - 40 * s), n(-60 * s)], [n(x), n(-130 * s)], [n(x + 40 * s), n(-60 * s)]],), "#ffffff")]
    if subject == "boat":
        w = 140 * s
        return [("rect", (-256, n(60 * s), 512, 200), SEA),
                ("polygon", ([[n(x - w), n(40 * s)], [n(x + w), n(40 * s)], [n(x + w * 0.7), n(90 * s)], [n(x - w * 0.7), n(90 * s)]],), None),
                ("line", (n(x), n(40 * s), n(x), j(-140 * s)), TRUNK),
                ("polygon", ([[n(x + 8), n(-130 * s)], [n(x + 8), n(20 * s)], [j(x + 100 * s), n(20 * s)]],), None)]
    if subject == "fish":
        w = 90 * s
        return [("circle", (n(x), j(0), n(w * 0.8)), None),
                ("polygon", ([[n(x + w * 0.7), 0], [n(x + w * 1.5), n(-w * 0.6)], [n(x + w * 1.5), n(w * 0.6)]],), None),
                ("circle", (n(x - w * 0.4), n(-w * 0.15), n(8 * s)), "#222222")]
    if subject == "apple":
        r = 80 * s
        return [("circle", (n(x), j(20 * s), n(r)), None),
                ("line", (n(x), n(20 * s - r * 0.9), n(x + 10), n(20 * s - r * 1.4)), TRUNK),
                ("polygon", ([[n(x + 10), n(20 * s - r * 1.2)], [n(x + 50 * s), n(20 * s - r * 1.5)], [n(x + 30 * s), n(20 * s - r * 1.0)]],), LEAF)]
    raise ValueError(f"unknown subject {subject!r}; choose one of {', '.join(SUBJECTS)}")


def _args(args: tuple) -> str:
    return ", ".join(str(a).replace(" ", "") if isinstance(a, list) else str(a) for a in args)


def sketch_code(spec: Spec, seed: int = 0, careless: bool = False) -> str:
    """The p5.brush sketch that `spec.prompt` asks for (deterministic for a seed); `careless` leaves the
    subject's last part out."""
    rng = random.Random(f"{spec.prompt}|{seed}")
    main = COLOURS[spec.colour]
    outline = MEDIA[spec.medium]
    lines = ["function setup() {", "  createCanvas(512, 512, WEBGL);", f'  background("{PAPER}");',
             "  brush.scaleBrushes(2);"]
    state = None  # the last brush state emitted, to skip repeated set/fill calls
    shapes = _shapes(spec.subject, PLACES[spec.place], SIZES[spec.size], rng)
    for method, args, colour in shapes[:-1] if careless else shapes:
        colour = colour or main
        if method == "line" or outline:
            want = ("set", outline or "HB", colour)
            if state != want:
                lines.append(f'  brush.set("{want[1]}", "{colour}", 2);')
        else:
            want = ("fill", colour)
            if state is None or state[0] != "fill":
                lines.append("  brush.noStroke();")
            if state != want:
                lines.append(f'  brush.fill("{colour}", 200);')
        state = want
        lines.append(f"  brush.{method}({_args(args)});")
    lines.append("}")
    return "\n".join(lines) + "\n"


def all_specs() -> list[Spec]:
    """Every prompt the templates can make, in a fixed order."""
    return [Spec(su, c, m, p, z) for su in SUBJECTS for c in COLOURS for m in MEDIA for p in PLACES for z in SIZES]


SPLITS = ("train", "select", "heldout")


def split_of(spec: Spec) -> str:
    """Which of three disjoint prompt sets a spec belongs to, by its (subject, colour, medium) triple.

    About one triple in eight is `heldout` (progress is judged there and nowhere else), another one in
    eight is `select` (SFT decides when to stop there), the rest is `train` (SFT and GRPO data)."""
    key = SUBJECTS.index(spec.subject) * 7 + list(COLOURS).index(spec.colour) * 3 + list(MEDIA).index(spec.medium)
    return {3: "heldout", 6: "select"}.get(key % 8, "train")


def is_heldout(spec: Spec) -> bool:
    """The spec's triple is never trained on, nor used to choose when SFT stops."""
    return split_of(spec) == "heldout"


def train_specs() -> list[Spec]:
    """Specs the model may see in SFT and GRPO."""
    return [s for s in all_specs() if split_of(s) == "train"]


def _sample(split: str, count: int | None, seed: int) -> list[Spec]:
    specs = [s for s in all_specs() if split_of(s) == split]
    random.Random(seed).shuffle(specs)
    return specs if count is None else specs[:count]


def select_specs(count: int | None = None, seed: int = 0) -> list[Spec]:
    """Model-selection specs (SFT's stopping rule): a fixed shuffled sample of `count`, or all."""
    return _sample("select", count, seed)


def heldout_specs(count: int | None = None, seed: int = 0) -> list[Spec]:
    """Held-out specs (a fixed shuffled sample of `count`, or all)."""
    return _sample("heldout", count, seed)


class PromptOverlapError(ValueError):
    """Two prompt sets that must be disjoint share prompts; the message names them."""


def normalise_prompt(prompt: str) -> str:
    """A prompt compared for overlap: case, spacing and a trailing full stop do not make it new."""
    return " ".join(prompt.casefold().split()).rstrip(".")


def check_disjoint(sets: dict[str, list[str]]) -> None:
    """Raise PromptOverlapError when any two named prompt sets share a prompt (after normalise_prompt)."""
    seen: dict[str, str] = {}
    for name, prompts in sets.items():
        for prompt in dict.fromkeys(map(normalise_prompt, prompts)):
            other = seen.setdefault(prompt, name)
            if other != name:
                shared = sorted(set(map(normalise_prompt, sets[other])) & set(map(normalise_prompt, prompts)))
                raise PromptOverlapError(
                    f"the {other} and {name} prompt sets share {len(shared)} prompt(s), e.g. {shared[0]!r}: "
                    "held-out progress is only honest on prompts never trained on or used for selection; "
                    "remove them from one of the files")


def corpus(count: int, seed: int = 0, careless_share: float = CARELESS_SHARE) -> list[tuple[str, str]]:
    """`count` (prompt, code) pairs drawn from the training specs, `careless_share` of them careless."""
    rng = random.Random(seed)
    specs = train_specs()
    pairs = []
    for _ in range(count):
        spec = rng.choice(specs)
        code = sketch_code(spec, seed=rng.randrange(1 << 30), careless=rng.random() < careless_share)
        pairs.append((spec.prompt, code))
    return pairs
