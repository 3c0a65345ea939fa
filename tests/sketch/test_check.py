"""check(): exact brush positions, unknown and off-list APIs, structure, strings and comments skipped."""
from __future__ import annotations

import pytest

from core.sketch import DEFAULT_ALLOWLIST, check
from core.sketch.jstokens import scan

SKETCH = """\
// brush.fake() in a comment
function setup() {
  createCanvas(600, 600, WEBGL);
  brush.scaleBrushes(3);
  let label = "brush.nope(1)" + 'brush.also(2)';
  /* brush.blocked()
     brush.stillBlocked() */
  const re = /brush\\.regex\\(/g;
  const t = `brush.inTemplate ${brush.set("HB", "#222", 1)} brush.after`;
}

function draw() {
\tbrush.fill("#d7c3a3", 120); brush.circle(0, 0, 80);
  brush
    .line(0, 0, 10, 10);
  brush.bleed(0.3); brush.watercolor();
  const P = brush.Polygon;
  brush.hatch(5, 30);
  this.brush.line(1, 2, 3, 4);
}
"""


def marked(code: str, call) -> str:
    return code.split("\n")[call.line - 1][call.column - 1:call.end_column - 1]


@pytest.mark.parametrize("parse", [True, False], ids=["acorn", "tokens"])
def test_every_brush_reference_with_exact_positions(parse):
    r = check(SKETCH, syntax=parse)
    assert r.parser == ("acorn" if parse else "tokens")
    got = [(c.name, c.line, c.column, c.end_column, c.called) for c in r.brush_calls]
    # In a sloppy-mode draw(), `this` is the global object: only the parse knows `this.brush` is brush.
    this_brush = [("line", 19, 3, 18, True)] if parse else []
    assert got == [
        ("scaleBrushes", 4, 3, 21, True),
        ("set", 9, 33, 42, True),
        ("fill", 13, 2, 12, True),
        ("circle", 13, 30, 42, True),
        ("line", 15, 6, 10, True),       # `brush` and `.line` on different lines: the name is marked
        ("bleed", 16, 3, 14, True),
        ("watercolor", 16, 21, 37, True),
        ("Polygon", 17, 13, 26, False),
        ("hatch", 18, 3, 14, True),
        *this_brush,
    ]
    for c in r.brush_calls:
        text = marked(SKETCH, c)
        assert text == c.name if c.line == 15 else text.endswith(f"brush.{c.name}")


def test_unknown_apis_are_1x_names_and_inventions():
    r = check(SKETCH, syntax=False)
    assert [(c.name, c.line) for c in r.unknown_apis] == [("bleed", 16), ("watercolor", 16)]
    assert not r.clean and r.uses_brush


def test_allowlist_violations_are_known_apis_outside_the_list():
    r = check(SKETCH, syntax=False)
    assert [c.name for c in r.allowlist_violations] == ["Polygon", "hatch"]
    wide = check(SKETCH, allowlist=[*DEFAULT_ALLOWLIST, "hatch", "brush.Polygon"], syntax=False)
    assert wide.allowlist_violations == []
    assert check(SKETCH, allowlist="scaleBrushes, set,fill,circle,line,hatch,Polygon", syntax=False).allowlist_violations == []
    narrow = check(SKETCH, allowlist=("set",), syntax=False)
    assert [c.name for c in narrow.allowlist_violations] == ["scaleBrushes", "fill", "circle", "line", "Polygon", "hatch"]


def test_columns_count_characters_after_unicode():
    code = 'let s = "é😀"; brush.line(0, 0, 1, 1);\n'
    (call,) = check(code, syntax=False).brush_calls
    assert (call.line, call.column) == (1, 15)  # é and 😀 count one column each
    assert marked(code, call) == "brush.line"


def test_crlf_positions():
    code = "function setup() {\r\n  brush.set('HB', 'red', 1);\r\n}\r\n"
    (call,) = check(code, syntax=False).brush_calls
    assert (call.line, call.column, call.end_column) == (2, 3, 12)


def test_structure_flags():
    r = check(SKETCH, syntax=False)
    assert (r.has_setup, r.has_draw, r.creates_canvas, r.webgl) == (True, True, True, True)
    r = check("setup = () => { createCanvas(400, 400); };\n// function draw() {}\n", syntax=False)
    assert (r.has_setup, r.has_draw, r.creates_canvas, r.webgl) == (True, False, True, False)
    r = check("new p5((p) => { p.setup = () => p.createCanvas(9, 9, p.WEBGL); p.draw = () => {}; });", syntax=False)
    assert (r.has_setup, r.has_draw, r.creates_canvas, r.webgl) == (True, True, True, True)
    r = check("if (setup == 1) draw(); createCanvas(1, 1, 'webgl')", syntax=False)
    assert (r.has_setup, r.has_draw, r.webgl) == (False, False, True)


def test_no_brush_is_not_clean():
    r = check("function setup() { createCanvas(400, 400); }")
    assert not r.uses_brush and r.syntax_error is None and not r.clean
    assert "does not use p5.brush" in r.problems()[0]


def test_clean_sketch_and_json_shape():
    r = check(SKETCH.replace("brush.bleed(0.3); brush.watercolor();", ""))
    assert r.clean and r.syntax_checked and r.syntax_error is None
    d = r.to_dict()
    assert d["clean"] is True and d["token_method"] == "approx" and d["tokens"] > 100
    assert d["brush_calls"][0] == {"name": "scaleBrushes", "line": 4, "column": 3, "end_column": 21, "called": True,
                                   "via": "brush"}
    assert d["parser"] == "acorn" and d["warnings"] == [] and d["print_dialogs"] == []
    assert set(d) >= {"uses_brush", "unknown_apis", "allowlist_violations", "syntax_error", "has_setup",
                      "has_draw", "creates_canvas", "webgl", "notes", "too_large"}


def test_syntax_error_lands_in_the_report():
    r = check("function setup() {\n  brush.set('HB', 'red', 1)\n  let = ;\n}\n")
    assert r.syntax_error is not None and r.syntax_error.kind == "syntax"
    assert (r.syntax_error.line, r.syntax_error.column) == (3, 9)  # `let` is a name in sloppy mode; `;` is wrong
    assert r.to_dict()["syntax_error"]["line"] == 3
    assert not r.clean


def test_tokenizer_survives_hostile_input():
    for code in ["`${`${`", "/* ", "'\\", "a / b / c", "x = /[/]/.test(y)", "}}}", "\x00\ud800", "/"]:
        scan(code)
        check(code, syntax=False)
    assert [t.kind for t in scan("x = /[/]/.test(y) / 2").tokens] == [
        "ident", "punct", "regex", "punct", "ident", "punct", "ident", "punct", "punct", "num"]


def test_random_input_never_raises():
    import random

    from core.sketch import extract_code

    rng = random.Random(7)
    alphabet = list("`'\"/\\*{}()[]$;.,=+-<>!?:# \n\t\rabcxyz019éé😀") + ["brush.", "```js\n", "```", "<think>",
                                                                          "</think>", "${", "*/", "/*", "//"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        extracted = extract_code(text)
        report = check(extracted.code, syntax=False)
        for call in report.brush_calls:
            line = extracted.code.split("\n")[call.line - 1]
            assert line[call.column - 1:call.end_column - 1].endswith(call.name)
