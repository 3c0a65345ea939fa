"""JavaScript syntax highlighting for the code editor (keywords, p5/brush calls, strings, comments)."""
from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

KEYWORDS = (
    "break case catch class const continue default delete do else export extends finally for function if "
    "import in instanceof let new of return super switch this throw try typeof var void while yield async await"
).split()
LITERALS = "true false null undefined NaN Infinity".split()

# Colours per theme: (light, dark). Picked for contrast on the editor's own background.
PALETTE = {
    "keyword": ("#7a3e9d", "#c792ea"),
    "literal": ("#b35900", "#f78c6c"),
    "number": ("#b35900", "#f78c6c"),
    "string": ("#2e7d32", "#c3e88d"),
    "comment": ("#8a8a8a", "#7f8c98"),
    "brush": ("#1565c0", "#82aaff"),
    "function": ("#00695c", "#89ddff"),
}


def _format(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


class JavaScriptHighlighter(QSyntaxHighlighter):
    """Regex-based JS highlighter; block comments span lines via the block state."""

    def __init__(self, document: QTextDocument, dark: bool = False):
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Switch the colour set and re-highlight."""
        i = 1 if dark else 0
        f = {name: _format(cols[i], bold=name == "keyword", italic=name == "comment") for name, cols in PALETTE.items()}
        self._formats = f
        words = "|".join(KEYWORDS)
        self._rules = [
            (re.compile(r"\b(?:brush)\.[A-Za-z_]\w*"), f["brush"]),
            (re.compile(r"\b[A-Za-z_]\w*(?=\s*\()"), f["function"]),
            (re.compile(rf"\b(?:{words})\b"), f["keyword"]),
            (re.compile(rf"\b(?:{'|'.join(LITERALS)})\b"), f["literal"]),
            (re.compile(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[0-9a-fA-F]+\b"), f["number"]),
        ]
        # Strings and line comments are matched together so "//" inside a string is not a comment.
        self._strings = re.compile(r"""("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?|//.*$)""")
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        for pattern, fmt in self._rules:
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)
        start = 0
        if self.previousBlockState() == 1:
            end = text.find("*/")
            if end < 0:
                self.setFormat(0, len(text), self._formats["comment"])
                self.setCurrentBlockState(1)
                return
            self.setFormat(0, end + 2, self._formats["comment"])
            start = end + 2
        self.setCurrentBlockState(0)
        pos = start
        while pos < len(text):
            block = text.find("/*", pos)
            m = self._strings.search(text, pos)
            if m and (block < 0 or m.start() < block):
                kind = "comment" if m.group(0).startswith("//") else "string"
                self.setFormat(m.start(), m.end() - m.start(), self._formats[kind])
                pos = m.end()
                continue
            if block < 0:
                break
            end = text.find("*/", block + 2)
            if end < 0:
                self.setFormat(block, len(text) - block, self._formats["comment"])
                self.setCurrentBlockState(1)
                return
            self.setFormat(block, end + 2 - block, self._formats["comment"])
            pos = end + 2
