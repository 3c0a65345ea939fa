"""The offline signals read what was drawn, not what was written: drawn primitives, code without comments,
all of the paint, marks that hold together, brush grain. Real images drawn with PIL, a real tokenizer."""
from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter
from reward_helpers import STARTERS, painting, png_rollout

from core.reward import Rollout
from core.reward import offline as off
from core.reward.context import ComponentContext, RolloutState, RunContext
from core.reward.craft import craft_stats
from core.reward.imagestats import layout_lab

PAPER = "#f4efe4"


def ctx(params: dict | None = None, run: RunContext | None = None) -> ComponentContext:
    return ComponentContext("test", params or {}, run or RunContext(), RolloutState())


def png_of(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def grain(img: Image.Image, seed: int = 0) -> Image.Image:
    """A little paper grain, as every real render has."""
    noise = np.random.default_rng(seed).integers(-3, 4, (img.height, img.width, 1))
    return Image.fromarray(np.clip(np.asarray(img, dtype=np.int16) + noise, 0, 255).astype(np.uint8))


def grey_house_with_a_dab(size: int = 512) -> bytes:
    img = Image.new("RGB", (size, size), PAPER)
    d = ImageDraw.Draw(img)
    s = size / 512
    d.rectangle((150 * s, 240 * s, 360 * s, 400 * s), outline="#6b6b6b", width=int(4 * s))
    d.polygon([(130 * s, 240 * s), (256 * s, 120 * s), (380 * s, 240 * s)], outline="#555555", width=int(4 * s))
    d.rectangle((230 * s, 320 * s, 280 * s, 400 * s), outline="#6b6b6b", width=int(4 * s))
    d.ellipse((312 * s, 162 * s, 328 * s, 178 * s), fill="#f39a5b")  # one dab, ~3 % of the paint
    return png_of(grain(img))


def random_strokes(size: int = 512, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    img = Image.new("RGB", (size, size), PAPER)
    d = ImageDraw.Draw(img)
    for _ in range(250):
        x, y = rng.gauss(size / 2, size / 7), rng.gauss(size / 2, size / 7)
        d.line((x, y, x + rng.uniform(-18, 18), y + rng.uniform(-18, 18)), fill=rng.choice(["#f39a5b", "#ffb58a", "#4f7f3a"]),
               width=3)
    return png_of(grain(img))


def flat_shapes(size: int = 512) -> bytes:
    """Native p5 style: flat fills, no grain anywhere."""
    img = Image.new("RGB", (size, size), PAPER)
    d = ImageDraw.Draw(img)
    d.rectangle((0, size // 2, size, size), fill="#a9bf5e")
    for i in range(8):
        d.ellipse((40 + i * 55, 300, 90 + i * 55, 345), fill="#d9231c")
    return png_of(img)


def render_of(rollout: Rollout, **changes) -> Rollout:
    for key, value in changes.items():
        setattr(rollout.render, key, value)
    return rollout


def test_comments_are_not_code():
    code = 'function setup() { // a long comment\n  /* block\n comment */ brush.set("pen", "#000", 1); // x\n}\nconst u = "http://a";'
    stripped = off.code_without_comments(code)
    assert "comment" not in stripped and "// x" not in stripped
    assert 'const u = "http://a";' in stripped and 'brush.set("pen", "#000", 1);' in stripped


def test_length_counts_code_tokens_by_the_runs_tokenizer_without_comments():
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator([p.read_text() for p in sorted(STARTERS.glob("*.js"))],
                            trainers.BpeTrainer(vocab_size=300, special_tokens=["[UNK]"], show_progress=False))
    code = "function setup() {\n  createCanvas(512, 512, WEBGL);\n  brush.circle(0, 0, 100);\n}\n"
    padded = "// " + "a hibiscus has five ruffled petals and a long staminal column " * 20 + "\n" + code
    run = RunContext()
    run.shared[off.TOKENIZER_KEY] = tok
    c = ctx({"min_tokens": 80}, run)
    rollout = Rollout("a peach hibiscus", padded, padded)
    # the comment adds nothing: only the newline it ended with is left
    assert off.code_tokens(rollout, c) == len(tok.encode("\n" + code).ids) <= len(tok.encode(code).ids) + 1
    assert off.length_binary(rollout, c) == 0.0
    assert not any("approximate" in n for n in c.state.notes)
    # without a tokenizer: the approximate count, said so, comments still removed
    c2 = ctx({"min_tokens": 80})
    assert off.length_binary(Rollout("a peach hibiscus", padded, padded), c2) == 0.0
    assert any("approximate token count" in n for n in c2.state.notes)


def test_only_drawing_primitives_that_drew_open_the_structure_gate():
    # the render counts setters apart (brush_state): a sketch of setters alone drew nothing
    setters = render_of(png_rollout(painting()), brush_calls={},
                        brush_state={"set": 3, "fill": 2, "noHatch": 1, "scaleBrushes": 1})
    c = ctx()
    assert off.structure(setters, c) == 0.0
    assert any("0 distinct brush primitives drew" in n for n in c.state.notes), c.state.notes
    assert off.brush_variety(setters, ctx()) == 0.0
    drew = render_of(png_rollout(painting()), brush_calls={"line": 40, "Polygon.fill": 1, "circle": 0},
                     brush_state={"set": 40})
    assert off.structure(drew, ctx()) == 1.0
    assert off.brush_variety(drew, ctx({"target": 4})) == 0.5  # line and Polygon.fill; a 0 count drew nothing


def test_unmeasured_counts_or_a_machine_failure_are_none_never_a_score():
    # a render with a picture but no counts (a cache entry stored without them): not measured, not 0, not 1
    cached = render_of(png_rollout(painting()), brush_calls=None)
    c = ctx()
    assert off.structure(cached, c) is None and off.brush_variety(cached, ctx()) is None
    assert any("no brush counts" in n for n in c.state.notes)
    for kind in ("browser", "overloaded"):
        assert off.structure(png_rollout(None, error_kind=kind), ctx()) is None
    assert off.structure(png_rollout(None, error_kind="timeout"), ctx()) == 0.0  # the sketch's own time
    broken = Rollout("a peach hibiscus", "function setup( {", "function setup( {")
    assert off.structure(broken, ctx()) == 0.0  # a known failure closes the gate even with nothing rendered


def test_colour_counts_all_the_paint_neutrals_included():
    prompt = "draw a peach hibiscus in watercolour"
    house = off.colour_adherence(png_rollout(grey_house_with_a_dab(), prompt), ctx({"full_share": 0.2}))
    flower = off.colour_adherence(png_rollout(painting("#ffa64d", size=512), prompt), ctx({"full_share": 0.2}))
    assert house < 0.25 and flower == 1.0, (house, flower)


def test_craft_tells_random_strokes_from_shapes():
    strokes = craft_stats(layout_lab(random_strokes()))
    shapes = craft_stats(layout_lab(painting("#ffa64d", size=512)))
    house = craft_stats(layout_lab(grey_house_with_a_dab()))
    assert strokes.coherence < 0.4 < 0.5 < shapes.coherence and house.coherence > 0.5, (strokes, shapes, house)
    params = {"coherence_zero": 0.35, "coherence_full": 0.5, "cohesion_zero": 0.5, "cohesion_full": 0.8}
    assert off.craft(png_rollout(random_strokes()), ctx(params)) < 0.3
    assert off.craft(png_rollout(painting("#ffa64d", size=512)), ctx(params)) == 1.0


def test_flat_native_fills_close_the_brushwork_gate():
    assert off.brushwork(png_rollout(flat_shapes()), ctx()) == 0.0
    assert off.brushwork(png_rollout(painting("#ffa64d", size=512)), ctx()) == 1.0
    assert off.brushwork(png_rollout(None, error_kind="runtime"), ctx()) is None


@pytest.mark.parametrize(("prompt", "scene"), [("draw red poppies in a summer field in watercolour", True),
                                               ("draw a seascape with a small sailing boat", True),
                                               ("draw a red apple on the left in ink", False)])
def test_a_scene_asks_for_a_covered_page(prompt, scene):
    small = png_rollout(painting("#d9231c", size=256), prompt)  # a motif on bare paper (~20 % of it)
    value = off.coverage(small, ctx({"scene_low": 0.5, "scene_zero_below": 0.1}))
    assert off.names_scene(prompt) is scene
    assert (value < 0.5) if scene else value == 1.0



def test_a_shape_the_recogniser_is_sure_of_is_not_a_blob(monkeypatch):
    """A lone soft triangle fails the substance gate as a blob, unless the recogniser is sure it is the subject
    asked for (subject_zero -> subject_full); without a judged subject, or below the ramp, the blob test holds."""
    img = Image.new("RGB", (512, 512), PAPER)
    ImageDraw.Draw(img).polygon([(130, 380), (256, 150), (382, 380)], fill="#9fbfe0")
    img = img.filter(ImageFilter.GaussianBlur(10))  # a wash's soft edges: no neighbours 8 dE apart
    rollout = png_rollout(png_of(grain(img)), prompt="draw a blue mountain in the centre in watercolour")
    params = {"blob": 1.15, "min_complexity": 2.0, "subject_zero": 0.7, "subject_full": 0.95}
    assert off.substance(rollout, ctx({k: v for k, v in params.items() if not k.startswith("subject")})) < 0.5
    monkeypatch.setattr(off, "recogniser_for", lambda *_a, **_k: ({}, 0))
    seen = {}
    monkeypatch.setattr(off, "subject_probability", lambda *_a: seen["p"])
    for p, low, high in ((0.97, 0.99, 1.0), (0.5, 0.0, 0.5)):
        seen["p"] = p
        assert low <= off.substance(rollout, ctx(params)) <= high, p
    monkeypatch.setattr(off, "recogniser_for", lambda *_a, **_k: None)  # a prompt it does not judge
    seen["p"] = 0.99
    assert off.substance(rollout, ctx(params)) < 0.5
