"""offline-default against the procedural corpus: correct sketches score well and beat their degraded variants.

Rendered for real at the tiny-cpu size (128 px), scored with the session's subject recogniser (fitted on
shipped corpus renders, tests/subject_helpers.py) as in training. Before the first calibration a perfect
corpus sketch scored 0.07-0.28 (edge-length gates sized for 512-px grain, a centred-only composition), so
GRPO had nothing honest to climb; the degraded variants here are what a policy drifting the wrong way would write: the
wrong colour, the wrong place, a lone shape, another subject in the right colour and place, a cluster of
short strokes where the subject should be; and the careless corpus sketch (its last part left out), which
must lose to the careful one or GRPO has no reason to prefer the whole subject.
"""
from __future__ import annotations

import asyncio

import pytest

from core.reward import Rollout, load_rubric
from core.reward.offline import prompt_place
from core.sketch import check
from core.train.corpus import COLOURS, PAPER, Spec, sketch_code

SIZE = 128  # resources/train/tiny-cpu.toml render_size
SPECS = (Spec("apple", "green", "ink", "on the left", "small"), Spec("house", "blue", "pencil", "on the right"))


def _lone(spec: Spec, shape: str) -> str:
    body = (f'  brush.set("pen", "{COLOURS[spec.colour]}", 2);\n  brush.line(-100, 0, 100, 0);' if shape == "line" else
            f'  brush.noStroke();\n  brush.fill("{COLOURS[spec.colour]}", 200);\n  brush.circle(0, 0, 60);')
    return f'function setup() {{\n  createCanvas(512, 512, WEBGL);\n  background("{PAPER}");\n{body}\n}}\n'


def _strokes(spec: Spec) -> str:
    x = {"on the left": -130, "in the centre": 0, "on the right": 130}[spec.place]
    lines = "\n".join(f"  brush.line({x + dx}, {dy}, {x + dx + 12}, {dy + (7 if (dx + dy) % 3 else -9)});"
                      for dx in range(-60, 61, 17) for dy in range(-60, 61, 23))
    return (f'function setup() {{\n  createCanvas(512, 512, WEBGL);\n  background("{PAPER}");\n'
            f'  brush.set("pen", "{COLOURS[spec.colour]}", 2);\n{lines}\n}}\n')


def _variants(spec: Spec) -> dict[str, str]:
    other_colour = "red" if spec.colour != "red" else "blue"
    other_place = "on the right" if spec.place == "on the left" else "on the left"
    other_subject = "house" if spec.subject != "house" else "fish"
    return {
        "perfect": sketch_code(spec, seed=1),
        "careless": sketch_code(spec, seed=1, careless=True),
        "wrong_colour": sketch_code(Spec(spec.subject, other_colour, spec.medium, spec.place, spec.size), seed=1),
        "wrong_place": sketch_code(Spec(spec.subject, spec.colour, spec.medium, other_place, spec.size), seed=1),
        "lone_circle": _lone(spec, "circle"),
        "lone_line": _lone(spec, "line"),
        "wrong_subject": sketch_code(Spec(other_subject, spec.colour, spec.medium, spec.place, spec.size), seed=1),
        "strokes": _strokes(spec),
    }


def test_prompt_place_reads_place_words():
    assert prompt_place("draw a red boat on the left in ink") == ((0.25, 0.5), True)
    assert prompt_place("a sun in the top right corner") == ((0.75, 0.25), True)
    assert prompt_place("a flower in the centre") == ((0.5, 0.5), True)
    assert prompt_place("a peach hibiscus, leftover light") == ((0.5, 0.5), False)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(2400)
@pytest.mark.usefixtures("recogniser")
def test_corpus_sketches_score_well_and_beat_degraded_ones(renderer):
    rubric = load_rubric("offline-default")
    cases = [(spec, kind, code) for spec in SPECS for kind, code in _variants(spec).items()]
    rollouts = []
    for spec, _kind, code in cases:
        result = renderer.render(code, seed=0, size=SIZE, timeout=90, use_cache=False)
        if result.error is not None and result.error.kind == "browser":  # a starved Chromium: once more
            result = renderer.render(code, seed=0, size=SIZE, timeout=90, use_cache=False)
        rollouts.append(Rollout(spec.prompt, code, code, result, check(code)))
    scores = asyncio.run(rubric.score(rollouts))
    table = {(spec.subject, kind): s for (spec, kind, _), s in zip(cases, scores, strict=True)}
    for spec in SPECS:
        perfect = table[spec.subject, "perfect"]
        assert perfect.total is not None and perfect.total >= 0.6, (spec.prompt, perfect.to_dict())
        assert perfect.gates == {"structure": 1.0, "substance": 1.0, "brushwork": 1.0}, (spec.prompt, perfect.to_dict())
        assert perfect.components["subject"] is not None and perfect.components["subject"] >= 0.5, perfect.to_dict()
        # one primitive drew (the structure gate is open) but a line has next to no thickness or edges
        assert table[spec.subject, "lone_line"].total < 0.15, table[spec.subject, "lone_line"].to_dict()
        for kind in ("wrong_colour", "wrong_place", "lone_circle", "wrong_subject", "strokes"):
            worse = table[spec.subject, kind]
            assert worse.total is not None and perfect.total - worse.total >= 0.08, (spec.prompt, kind, worse.to_dict())
        assert table[spec.subject, "careless"].total < perfect.total, (spec.prompt, table[spec.subject, "careless"].to_dict())
        assert table[spec.subject, "wrong_colour"].components["colour_adherence"] < 0.6
        assert table[spec.subject, "wrong_place"].components["composition"] < 0.5
        assert table[spec.subject, "wrong_subject"].components["subject"] < 0.3
