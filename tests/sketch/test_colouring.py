"""The editor's colouring reads JavaScript through the checker's tokenizer (jstokens): one tokenizer."""
from __future__ import annotations

import pytest

from core.sketch.colouring import IN_COMMENT, IN_TEMPLATE, PLAIN, line_spans


def roles(line: str, state: int = PLAIN, **kw) -> tuple[list[tuple[str, str]], int]:
    spans, next_state = line_spans(line, state, **kw)
    return [(line[start:start + length], role) for start, length, role in spans], next_state


def test_a_line_of_sketch():
    got, state = roles("function setup() { brush.line(0, 0.5, 1e3, 0x1f); if (x) return null; } // done")
    assert state == PLAIN
    assert got == [("function", "keyword"), ("setup", "function"), ("brush.line", "brush"), ("0", "number"),
                   ("0.5", "number"), ("1e3", "number"), ("0x1f", "number"), ("if", "keyword"),
                   ("return", "keyword"), ("null", "literal"), ("// done", "comment")]


def test_what_regexes_got_wrong_strings_comments_and_regex_literals():
    # "//" in a string is not a comment; a brush call in a string or comment is not a brush call;
    # a regex literal with quotes in it does not open a string.
    got, _ = roles("let u = 'http://x'; /* brush.fake() */ const r = /'\"/g; p.brush.x; a.if")
    assert got == [("let", "keyword"), ("'http://x'", "string"), ("/* brush.fake() */", "comment"),
                   ("const", "keyword"), ("/'\"/g", "string")]


def test_block_comments_and_templates_carry_over_lines():
    got, state = roles("x = 1; /* opens")
    assert got[-1] == ("/* opens", "comment") and state == IN_COMMENT
    got, state = roles("still inside", IN_COMMENT)
    assert got == [("still inside", "comment")] and state == IN_COMMENT
    got, state = roles("closes */ let y = `a ${b}", IN_COMMENT)
    assert got[0] == ("closes */", "comment") and ("let", "keyword") in got and state == IN_TEMPLATE
    got, state = roles("tail` + 2", IN_TEMPLATE)
    assert got == [("tail`", "string"), ("2", "number")] and state == PLAIN


def test_utf16_positions_for_qt():
    line = "let s = '😀'; brush.fill('red');"
    spans, _ = line_spans(line, utf16=True)
    units = line.encode("utf-16-le")
    text = [(units[2 * s:2 * (s + n)].decode("utf-16-le"), r) for s, n, r in spans]
    assert ("brush.fill", "brush") in text and ("'😀'", "string") in text


def test_hostile_lines_never_raise():
    for line in ["`${`${`", "/*", "'\\", "}}}", "\ud800", "/", "brush.", "brush?.", "*/ x"]:
        for state in (PLAIN, IN_COMMENT, IN_TEMPLATE):
            spans, _ = line_spans(line, state, utf16=True)
            assert all(0 <= s and s + n <= len(line.encode("utf-16-le", "surrogatepass")) // 2 for s, n, _ in spans)


@pytest.mark.gui
def test_the_editor_highlighter_uses_it(qapp):
    from PySide6.QtGui import QTextDocument

    from studio.widgets.highlighter import PALETTE, JavaScriptHighlighter

    doc = QTextDocument()
    doc.setPlainText("/* a\n😀 b */ brush.set('HB', 'red', 1);\nlet t = `x\ny`;")
    highlighter = JavaScriptHighlighter(doc)
    highlighter.rehighlight()

    def colour_at(block: int, column: int) -> str:
        for fmt in doc.findBlockByNumber(block).layout().formats():
            if fmt.start <= column < fmt.start + fmt.length:
                return fmt.format.foreground().color().name()
        return "none"

    comment, brush, string = PALETTE["comment"][0], PALETTE["brush"][0], PALETTE["string"][0]
    assert colour_at(0, 0) == comment and colour_at(1, 0) == comment  # the comment carries over
    second = doc.findBlockByNumber(1).text()
    at = len(second[:second.index("brush")].encode("utf-16-le")) // 2  # Qt counts UTF-16 units
    assert colour_at(1, at) == brush and colour_at(1, at + 8) == brush and colour_at(1, at - 2) == comment
    assert colour_at(3, 0) == string  # inside the template opened on the line before
