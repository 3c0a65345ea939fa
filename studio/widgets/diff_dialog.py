"""Two versions of a sketch side by side, aligned line by line, in a dialog as large as you make it.

The history panel's inline diff is a glance; this is for reading: removed lines on the left in red,
added lines on the right in green, changed lines on both, gaps where the other side has nothing,
and the two sides scroll together.
"""
from __future__ import annotations

import difflib

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

REMOVED, ADDED, CHANGED = QColor(214, 69, 65, 60), QColor(46, 157, 72, 60), QColor(214, 140, 0, 55)


def align(old: str, new: str) -> tuple[list[str | None], list[str | None]]:
    """Left and right line lists of equal length; None marks a gap opposite an added/removed line."""
    a, b = old.splitlines(), new.splitlines()
    left: list[str | None] = []
    right: list[str | None] = []
    for _op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        n = max(i2 - i1, j2 - j1)
        left += a[i1:i2] + [None] * (n - (i2 - i1))
        right += b[j1:j2] + [None] * (n - (j2 - j1))
    return left, right


class DiffDialog(QDialog):
    """Side-by-side diff of `old` (left) and `new` (right); resizable, not modal."""

    def __init__(self, old: str, new: str, old_title: str, new_title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{old_title} → {new_title}")
        self.setSizeGripEnabled(True)
        self.left, self.right = self._side(), self._side()
        left_lines, right_lines = align(old, new)
        self._fill(self.left, left_lines, right_lines, REMOVED)
        self._fill(self.right, right_lines, left_lines, ADDED)
        self.left.verticalScrollBar().valueChanged.connect(self.right.verticalScrollBar().setValue)
        self.right.verticalScrollBar().valueChanged.connect(self.left.verticalScrollBar().setValue)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        for title, view in ((old_title, self.left), (new_title, self.right)):
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(QLabel(f"<b>{title}</b>"))
            col.addWidget(view)
            self.split.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split, 1)
        layout.addWidget(buttons)
        self.changed_lines = sum(1 for x, y in zip(left_lines, right_lines, strict=True) if x != y)
        self.resize(self._default_size(parent))

    @staticmethod
    def _default_size(parent: QWidget | None):  # noqa: ANN205 (QSize)

        window = parent.window() if parent is not None else None
        if window is None:
            return QSize(1100, 700)
        # most of the window: two columns of 80-character code need ~1,100 px
        return QSize(max(int(window.width() * 0.9), 640), max(int(window.height() * 0.85), 420))

    @staticmethod
    def _side() -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        return view

    @staticmethod
    def _fill(view: QPlainTextEdit, lines: list[str | None], other: list[str | None], colour: QColor) -> None:
        view.setPlainText("\n".join("" if line is None else line for line in lines))
        marks = []
        block = view.document().firstBlock()
        for mine, theirs in zip(lines, other, strict=True):
            if mine != theirs:
                sel = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setBackground(QColor(127, 127, 127, 40) if mine is None else
                                  CHANGED if theirs is not None else colour)
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
                sel.format = fmt
                sel.cursor = QTextCursor(block)
                marks.append(sel)
            block = block.next()
        view.setExtraSelections(marks)
