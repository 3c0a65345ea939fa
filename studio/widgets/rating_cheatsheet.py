"""A keyboard cheat-sheet drawn over its parent (toggled with ?); a click or Esc closes it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class CheatSheet(QWidget):
    def __init__(self, parent: QWidget, keys: list[tuple[str, str]], title: str = "Keys"):
        super().__init__(parent)
        self.keys, self.title = keys, title
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def toggle(self) -> None:
        self.setVisible(not self.isVisible())
        if self.isVisible():
            self.setGeometry(self.parentWidget().rect())
            self.raise_()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(10, 10, 12, 170))
        row_h, key_w, w = 34, 130, 460
        h = 80 + row_h * len(self.keys)
        card = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#fbfaf7"))
        p.drawRoundedRect(card, 14, 14)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor("#1f2023"))
        p.drawText(card.adjusted(28, 18, -28, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.title)
        y = card.top() + 62
        mono = QFont("monospace")
        mono.setBold(True)
        body = QFont(self.font())
        body.setPointSizeF(body.pointSizeF() * 1.1)
        for key, text in self.keys:
            keycap = QRectF(card.left() + 28, y, key_w - 20, row_h - 8)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#e9e6df"))
            p.drawRoundedRect(keycap, 6, 6)
            p.setPen(QColor("#1f2023"))
            p.setFont(mono)
            p.drawText(keycap, Qt.AlignmentFlag.AlignCenter, key)
            p.setFont(body)
            p.setPen(QColor("#3b3d42"))
            p.drawText(QRectF(card.left() + 28 + key_w, y, w - key_w - 56, row_h - 8),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            y += row_h
        p.end()
