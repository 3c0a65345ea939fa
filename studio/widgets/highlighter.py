"""JavaScript syntax highlighting for the code editor (keywords, p5/brush calls, strings, comments).

The tokenizing is core's (core.sketch.colouring over core.sketch.jstokens, the checker's tokenizer):
this file only maps roles to colours.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from core.sketch.colouring import KEYWORDS, LITERALS, PLAIN, line_spans

__all__ = ["KEYWORDS", "LITERALS", "PALETTE", "JavaScriptHighlighter"]

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
    """Colours each block from core's tokenizer; block comments and templates span lines via the block state."""

    def __init__(self, document: QTextDocument, dark: bool = False):
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Switch the colour set and re-highlight."""
        i = 1 if dark else 0
        f = {name: _format(cols[i], bold=name == "keyword", italic=name == "comment") for name, cols in PALETTE.items()}
        self._formats = f
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        spans, state = line_spans(text, max(self.previousBlockState(), PLAIN), utf16=True)
        for start, length, role in spans:
            self.setFormat(start, length, self._formats[role])
        self.setCurrentBlockState(state)
