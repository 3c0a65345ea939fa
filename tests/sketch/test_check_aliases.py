"""uses_brush follows aliases both ways (an alias of brush uses it; a parameter or local named brush that
p5.brush never reaches does not), and ordinary sketches stay clean: the starters, the procedural
training corpus, the demo pool and tests/sketch/ordinary (classes, prototypes, callbacks, config
objects, events, timers with functions, instance mode). Code the checker could not parse is a
"cannot check", never a silent token scan."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.paths import STARTERS
from core.pool.demo_sketches import demo_sketches
from core.sketch import check
from core.sketch.syntax import node_path
from core.train.corpus import corpus

pytestmark = pytest.mark.skipif(node_path() is None, reason="node is not installed")
ORDINARY = sorted((Path(__file__).parent / "ordinary").glob("*.js"))
CANVAS = "function setup() { createCanvas(400, 400, WEBGL); }\n"


@pytest.mark.parametrize("code, calls", [
    ("const b = brush;\nfunction draw() { b.set('HB', '#222', 1); b.line(0, 0, 1, 1); }", ["set", "line"]),
    ("function paint(brush) { brush.line(0, 0, 1, 1); }\nfunction draw() { paint(brush); }", ["line"]),
    ("const {line} = window.brush;\nfunction draw() { line(0, 0, 1, 1); }", ["line", "line"]),
    ("function draw() { [1, 2].forEach(() => this.brush.circle(0, 0, 3)); }", ["circle"]),
    ("class Flower {\n  constructor(b) { b.circle(0, 0, 4); }\n}\nfunction draw() { new Flower(brush); }", ["circle"]),
])
def test_an_alias_of_brush_uses_brush(code, calls):
    r = check(CANVAS + code)
    assert r.uses_brush and [c.name for c in r.brush_calls] == calls and r.cannot_check == [], r.problems()
    assert r.warnings == []


# Issue 20: "a sketch with no p5.brush at run time at all (a parameter named brush)" was counted as using it.
FAKE = "{set() {}, line() {}, circle() {}, fill() {}}"


@pytest.mark.parametrize("code", [
    f"function paint(brush) {{\n  brush.set('HB', '#222', 1);\n  brush.line(0, 0, 1, 1);\n  brush.circle(0, 0, 5);\n}}\n"
    f"function draw() {{ paint({FAKE}); }}",
    "function paint(brush) { brush.line(0, 0, 1, 1); }\nfunction draw() { [1, 2].forEach(paint); }",
    f"function draw() {{ const brush = {FAKE}; brush.line(0, 0, 1, 1); brush.fill('red', 9); }}",
    f"let brush = {FAKE};\nfunction draw() {{ brush.line(0, 0, 1, 1); }}",
    "function draw() { [1, 2].forEach((brush) => brush.line(0, 0, 1, 1)); }",
    "function draw() { try { draw2(); } catch (brush) { brush.line(0, 0, 1, 1); } }",
    "const obj = {brush: {line() {}}};\nfunction draw() { obj.brush.line(0, 0, 1, 1); }",
    f"class Pen {{ constructor() {{ this.brush = {FAKE}; }} draw() {{ this.brush.line(0, 0, 1, 1); }} }}\n"
    "function draw() { new Pen().draw(); }",
])
def test_a_brush_that_p5_brush_never_reaches_is_not_brush(code):
    r = check(CANVAS + code)
    assert not r.uses_brush and r.brush_calls == [], [c.name for c in r.brush_calls]
    assert r.cannot_check == [], r.problems()
    assert "does not use p5.brush" in r.problems()[0]


def test_a_shadowing_brush_is_a_warning_that_says_so():
    code = f"{CANVAS}function paint(brush) {{ brush.line(0, 0, 1, 1); }}\nfunction draw() {{ paint({FAKE}); }}\n"
    r = check(code)
    (w,) = r.warnings
    assert w.kind == "shadowed brush" and (w.line, w.column) == (2, 16) and "not counted as p5.brush" in w.message


def test_a_parameter_reached_by_both_counts_where_brush_reaches():
    code = f"{CANVAS}function paint(b) {{ b.line(0, 0, 1, 1); }}\nfunction draw() {{ paint({FAKE}); paint(brush); }}\n"
    r = check(code)
    assert r.uses_brush and [c.name for c in r.brush_calls] == ["line"] and r.clean


def sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text()) for p in sorted(STARTERS.glob("*.js"))]
    found += [(f"corpus: {prompt}", code) for prompt, code in corpus(400, seed=11)]
    found += [(f"demo: {d.name}", d.code) for d in demo_sketches()]
    return found + [(f"ordinary/{p.name}", p.read_text()) for p in ORDINARY]


def test_ordinary_sketches_have_nothing_the_checker_cannot_see():
    items = sources()
    assert len(ORDINARY) >= 10 and len(items) > 450
    blind = {name: [f.message for f in check(code).cannot_check] for name, code in items}
    assert {name: why for name, why in blind.items() if why} == {}


@pytest.mark.parametrize("path", ORDINARY, ids=[p.name for p in ORDINARY])
def test_ordinary_sketches_are_clean(path):
    r = check(path.read_text())
    assert r.clean and r.parser == "acorn", r.problems()


def test_unparsed_code_cannot_be_checked():
    r = check("brush.line(0, 0, 1, 1);", syntax=False)
    assert not r.clean and r.parser == "tokens" and [c.name for c in r.brush_calls] == ["line"]
    assert "cannot check this sketch" in r.problems()[0] and "syntax=False" in r.problems()[0]
    # node's stack is smaller than the browser's: no verdict on the syntax, and no claim to have read it
    deep = "let a = " + "[" * 3000 + "]" * 3000 + ";\nbrush.line(0, 0, 1, 1);\n"
    r = check(deep)
    assert r.syntax_error is None and not r.clean and "too deeply nested for the checker" in r.problems()[0]
    # a syntax error is its own problem, not also a "cannot check"
    r = check("function setup() {\n  brush.line(0, 0, 1, 1)\n  let = ;\n}\n")
    assert r.syntax_error is not None and r.cannot_check == []
