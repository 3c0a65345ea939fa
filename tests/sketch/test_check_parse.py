"""check() reads brush references from a real parse (acorn in the node checker): plain JavaScript that
fooled the token scan, dynamic keys, print dialogs, line numbering with U+2028, sizes, end of input."""
from __future__ import annotations

import pytest

from core.sketch import SyntaxChecker, check
from core.sketch.files import MAX_SOURCE_BYTES
from core.sketch.syntax import node_path

pytestmark = pytest.mark.skipif(node_path() is None, reason="node is not installed")


def marked(code: str, item) -> str:
    return code.split("\n")[item.line - 1][item.column - 1:item.end_column - 1]


def calls(code: str) -> list[tuple[str, str, bool, str]]:
    r = check(code)
    assert r.parser == "acorn", r.notes
    return [(c.name, marked(code, c), c.called, c.via) for c in r.brush_calls]


# The four forms issue 8 saw come back clean, plus their relatives.
@pytest.mark.parametrize("code, expected", [
    ("const b = brush; b.madeUp();", [("madeUp", "b.madeUp", True, "alias")]),
    ("let b; b = window.brush; function draw() { b?.madeUp(1); }", [("madeUp", "b?.madeUp", True, "alias")]),
    ("const {hatch} = brush; hatch(5, 30);",
     [("hatch", "hatch", False, "destructured"), ("hatch", "hatch", True, "alias")]),
    ("const {madeUp: m, ...rest} = brush; m(); rest.other();",
     [("madeUp", "madeUp", False, "destructured"), ("madeUp", "m", True, "alias"), ("other", "rest.other", True, "alias")]),
    ('brush["hatch"](1);', [("hatch", 'brush["hatch"]', True, "computed")]),
    ("brush[`made` + 'Up']();", [("madeUp", "brush[`made` + 'Up']", True, "computed")]),
    ("const k = 'madeUp'; brush[k]();", [("madeUp", "brush[k]", True, "computed")]),
    ("brush?.madeUp(); brush?.['other']?.();",
     [("madeUp", "brush?.madeUp", True, "brush"), ("other", "brush?.['other']", True, "computed")]),
    ("window.brush.madeUp();", [("madeUp", "window.brush.madeUp", True, "global")]),
    ("globalThis['brush'].a(); self.brush.b(); const w = window; w.brush.c();",
     [("a", "globalThis['brush'].a", True, "global"), ("b", "self.brush.b", True, "global"),
      ("c", "w.brush.c", True, "global")]),
    ("const {brush: b} = globalThis; b.madeUp();", [("madeUp", "b.madeUp", True, "alias")]),
    ("function petal(p) { p.madeUp(); }\npetal(brush);", [("madeUp", "p.madeUp", True, "alias")]),
    ("const h = brush.hatch; h.call(null, 1); brush.set.apply(null, []);",
     [("hatch", "brush.hatch", False, "brush"), ("hatch", "h", True, "alias"), ("set", "brush.set", True, "brush")]),
    ("function draw() { c(); }\nconst c = b.madeUp;\nvar b = brush;",  # aliases declared after their use
     [("madeUp", "c", True, "alias"), ("madeUp", "b.madeUp", False, "alias")]),
])
def test_plain_javascript_does_not_hide_a_call(code, expected):
    assert calls(code) == expected


def test_hidden_inventions_are_unknown_apis_and_hidden_names_leave_the_allowlist():
    code = "const b = brush;\nb.madeUp();\nconst {hatch} = brush;\nhatch(1);\nwindow.brush.set('HB', 'red', 1);\n"
    r = check(code)
    assert [(c.name, c.line, c.column) for c in r.unknown_apis] == [("madeUp", 2, 1)]
    assert [(c.name, c.line) for c in r.allowlist_violations] == [("hatch", 3), ("hatch", 4)]
    assert not r.clean and "brush.madeUp is not in the installed p5.brush" in r.problems()[0]


def test_names_that_are_not_brush_are_left_alone():
    code = ("function f() { const brush = makeThing(); brush.anything(); }\n"
            "const o = {brush: 1}; o.brush.x; this.window; let s = 'brush.fake()'; // brush.fake()\n"
            "brush.line(0, 0, 1, 1);\n")
    assert calls(code) == [("line", "brush.line", True, "brush")]


@pytest.mark.parametrize("code, text, why", [
    ("let k = pick(); brush[k]();", "brush[k]", "named at run time"),
    ("brush['li' + n](0, 0, 1, 1);", "brush['li' + n]", "named at run time"),
    ("const {[name()]: f} = brush;", "name()", "computed at run time"),
    ("window[key]();", "window[key]", "a global named at run time"),
    ("with (brush) { line(0, 0, 1, 1); }", "with (brush)", "ambiguous"),
])
def test_dynamic_access_cannot_be_checked(code, text, why):
    r = check(code)
    (found,) = r.cannot_check
    assert found.kind == "cannot check" and why in found.message and marked(code, found) == text
    assert not r.clean and any(f"cannot check `{text}`" in p for p in r.problems())


def test_print_with_no_argument_opens_the_print_dialog():
    code = "function setup() {\n  print('hello');\n  print();\n  window.print();\n  brush.line(0, 0, 1, 1);\n}\n"
    r = check(code)
    assert [(p.line, p.column, marked(code, p)) for p in r.print_dialogs] == [(3, 3, "print()"), (4, 3, "window.print()")]
    assert not r.clean
    assert any("line 3:3: print() with no argument opens the browser's print dialog" in p for p in r.problems())
    own = check("function print() {}\nprint();\nbrush.line(0, 0, 1, 1);\n")  # the sketch's own print
    assert own.print_dialogs == [] and own.clean


def test_line_separators_do_not_shift_lines():
    # V8 and acorn end lines at U+2028 / U+2029; the editor, the store and the renderer number by "\n".
    code = ("// a comment with a \u2028 line separator\nlet s = '\u2029😀';\n"
            "brush.madeUp(1);\nbrush.line(0, 0, 1, 1);\n")
    r = check(code)
    assert [(c.name, c.line, c.column, marked(code, c)) for c in r.brush_calls] == [
        ("madeUp", 3, 1, "brush.madeUp"), ("line", 4, 1, "brush.line")]
    bad = "let s = '\u2028😀';\nlet t = 'é\u2029'; let = ;\n"
    err = check(bad).syntax_error
    assert (err.line, err.column) == (2, 21) and bad.split("\n")[1][err.column - 1] == ";"


def test_positions_after_astral_characters():
    code = "let s = '😀😀'; const b = brush; b.madeUp();\n"
    (call,) = check(code).brush_calls
    assert (call.line, call.column) == (1, 32) and marked(code, call) == "b.madeUp"


@pytest.mark.parametrize("code, line, column, opened", [
    ("function setup() {\n  brush.line(0, 0, 1, 1);\n\n\n", 2, 25, "`{` opened at line 1, column 18"),
    ("function setup() {\n  if (x) {\n    brush.line(0, 0,\n", 3, 20, "`(` opened at line 3, column 15 is never closed (and 2 more)"),
    ("let x =", 1, 7, None),
])
def test_end_of_input_points_inside_the_file(code, line, column, opened):
    checker = SyntaxChecker()
    try:
        err = checker.check(code)
    finally:
        checker.close()
    assert (err.line, err.column) == (line, column)
    assert err.line <= len(code.rstrip().split("\n"))
    if opened:
        assert opened in err.message


def test_code_that_does_not_parse_falls_back_to_the_token_scan():
    r = check("function setup() {\n  const b = brush;\n  brush.madeUp(\n")
    assert r.parser == "tokens" and r.syntax_error is not None
    assert [c.name for c in r.brush_calls] == ["madeUp"]


def test_the_size_limit_is_the_one_in_core():
    big = "brush.line(0, 0, 1, 1);\n" + "//" + "x" * MAX_SOURCE_BYTES
    r = check(big)
    assert not r.clean and not r.syntax_checked and r.too_large and "limit" in r.problems()[0]
    assert check("brush.line(0, 0, 1, 1);\n" + "x" * 1000).too_large is None


def test_deep_nesting_does_not_kill_the_checker():
    deep = "let a = " + "[" * 3000 + "]" * 3000 + ";\nbrush.line(0, 0, 1, 1);\n"
    r = check(deep)
    assert [c.name for c in r.brush_calls] == ["line"]  # parsed or scanned, the call is still found
    assert check("brush.madeUp();").parser == "acorn"  # and the node process still answers


def test_js_positions_convert_to_the_editor_numbering():
    from core.sketch.jstokens import from_js_position

    code = "let a = '\u2028';\r\nlet b = '😀'; x y\n"
    # V8 counts the U+2028 as a line end (so `y` is on its line 3) and columns in UTF-16 units.
    assert from_js_position(code, 3, len("let b = '😀'; x ".encode("utf-16-le")) // 2 + 1) == (2, 16)
    assert code.split("\n")[1][16 - 1] == "y"
    assert from_js_position(code, 1, 1) == (1, 1) and from_js_position(code, 99, 99) == (3, 1)  # the last line there is


def test_without_acorn_the_verdict_stays_and_the_reason_is_given(tmp_path):
    checker = SyntaxChecker(node_modules=tmp_path)  # no acorn in it
    try:
        found = checker.analyse("const b = brush; b.madeUp();")
        assert found.error is None and not found.parsed and "acorn not found" in found.note
        assert checker.check("let = ;") is not None  # V8 still judges the syntax
    finally:
        checker.close()
