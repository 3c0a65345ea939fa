"""A plain-text code editor with line numbers, an error-line marker and wavy underlines."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget


@dataclass(frozen=True)
class CodeMark:
    """A span to underline: 1-based line, 0-based columns [column, end_column), with a tooltip.

    `severity` "error" underlines red (unknown API, syntax), "warning" amber (off the allowlist), both wavy;
    "unchecked" a dotted blue line: code the static checker cannot follow (not an error, a blind spot).
    """

    line: int
    column: int
    end_column: int
    message: str
    severity: str = "error"


MARK_COLOURS = {"error": QColor(220, 50, 47), "warning": QColor(214, 140, 0), "unchecked": QColor(42, 111, 219)}


class _LineNumbers(QWidget):
    def __init__(self, editor: CodeEditor):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """QPlainTextEdit for JavaScript: monospace, line numbers, error line, underlined spans."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 2)
        self._gutter = _LineNumbers(self)
        self._error_line: int | None = None
        self._marks: list[CodeMark] = []
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._refresh_selections)
        self._update_gutter_width()
        self._refresh_selections()

    # -- public ---------------------------------------------------------------------------------
    @property
    def error_line(self) -> int | None:
        """The 1-based line currently marked as failing, if any."""
        return self._error_line

    @property
    def marks(self) -> list[CodeMark]:
        return list(self._marks)

    def set_error_line(self, line: int | None) -> None:
        """Highlight the failing line (1-based), or clear it with None."""
        if line is not None and not 1 <= line <= self.blockCount():
            line = None
        self._error_line = line
        self._refresh_selections()
        self._gutter.update()

    def set_marks(self, marks: list[CodeMark]) -> None:
        """Underline these spans with a wavy red line (unknown APIs, allowlist violations)."""
        self._marks = list(marks)
        self._refresh_selections()

    def mark_at(self, line: int, column: int) -> CodeMark | None:
        """The mark covering this position (for tooltips and tests)."""
        for m in self._marks:
            if m.line == line and m.column <= column < max(m.end_column, m.column + 1):
                return m
        return None

    # -- gutter ---------------------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        pal = self.palette()
        painter.fillRect(event.rect(), pal.alternateBase())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        height = self.fontMetrics().height()
        dim = pal.placeholderText().color()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                if number + 1 == self._error_line:
                    painter.fillRect(0, top, self._gutter.width(), height, QColor(220, 50, 47, 160))
                    painter.setPen(QColor("white"))
                else:
                    painter.setPen(dim)
                painter.drawText(0, top, self._gutter.width() - 6, height, Qt.AlignmentFlag.AlignRight, str(number + 1))
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    # -- typing ---------------------------------------------------------------------------------
    INDENT = "  "  # the starters' style

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter keeps the line's indent (one level more after `{`, `(` or `[`); `}` typed alone dedents."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            cursor = self.textCursor()
            line = cursor.block().text()[:cursor.positionInBlock()]
            indent = line[:len(line) - len(line.lstrip(" \t"))]
            if line.rstrip().endswith(("{", "(", "[")):
                indent += self.INDENT
            cursor.insertText("\n" + indent)
            self.ensureCursorVisible()
            return
        if event.text() in ("}", ")", "]"):
            cursor = self.textCursor()
            before = cursor.block().text()[:cursor.positionInBlock()]
            if before and not before.strip() and before.endswith(self.INDENT):
                cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(self.INDENT))
                cursor.insertText(event.text())
                return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_selections()  # the current-line band is derived from the palette's base

    # -- selections -----------------------------------------------------------------------------
    def _refresh_selections(self) -> None:
        sels: list[QTextEdit.ExtraSelection] = []
        current = QTextEdit.ExtraSelection()
        base = self.palette().base().color()
        current.format.setBackground(base.darker(106) if base.lightness() > 128 else base.lighter(130))
        current.format.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        sels.append(current)
        if self._error_line is not None:
            block = self.document().findBlockByNumber(self._error_line - 1)
            if block.isValid():
                err = QTextEdit.ExtraSelection()
                err.format.setBackground(QColor(220, 50, 47, 70))
                err.format.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
                err.cursor = QTextCursor(block)
                sels.append(err)
        for mark in self._marks:
            block = self.document().findBlockByNumber(mark.line - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            unchecked = mark.severity == "unchecked"
            sel.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine if unchecked
                                         else QTextCharFormat.UnderlineStyle.WaveUnderline)
            sel.format.setUnderlineColor(MARK_COLOURS.get(mark.severity, MARK_COLOURS["error"]))
            sel.format.setToolTip(mark.message)
            cur = QTextCursor(block)
            start = min(mark.column, block.length() - 1)
            end = min(max(mark.end_column, mark.column + 1), block.length() - 1)
            cur.setPosition(block.position() + start)
            cur.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sels.append(sel)
        self.setExtraSelections(sels)

    def event(self, e):  # noqa: ANN001 (Qt override)
        if e.type() == e.Type.ToolTip:
            cur = self.cursorForPosition(e.pos() - self.viewport().pos())
            mark = self.mark_at(cur.blockNumber() + 1, cur.positionInBlock())
            if mark is not None:
                QToolTip.showText(e.globalPos(), mark.message, self)
                return True
        return super().event(e)
