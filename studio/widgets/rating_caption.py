"""A painted line of text that never asks for a relayout when its text changes (labels do, per key press)."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class TextLine(QWidget):
    """One elided line; an optional coloured dot before it (a colour group's swatch)."""

    def __init__(self, scale: float = 1.0, bold: bool = False, muted: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.text = ""
        self.dot: str | None = None
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * scale)
        f.setBold(bold)
        self.setFont(f)
        self.muted = muted
        self.setFixedHeight(self.fontMetrics().height() + 6)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_text(self, text: str, dot: str | None = None) -> None:
        if (text, dot) != (self.text, self.dot):
            self.text, self.dot = text, dot
            self.setToolTip(text)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        x = 0
        if self.dot:
            d = self.fontMetrics().ascent() * 0.8
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(self.dot))
            p.drawEllipse(1, int((self.height() - d) / 2), int(d), int(d))
            x = int(d) + 7
        pal = self.palette()
        p.setPen(pal.placeholderText().color() if self.muted else pal.windowText().color())
        rect = QRect(x, 0, self.width() - x, self.height())
        p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   self.fontMetrics().elidedText(self.text, Qt.TextElideMode.ElideRight, rect.width()))
        p.end()
