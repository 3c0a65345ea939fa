"""Two small painted charts for the Rubric pane: a component correlation heatmap and effective-vs-nominal bars."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

FLAG_RHO = 0.8  # the reward engine's "measuring the same thing" threshold


def _diverging(rho: float) -> QColor:
    """Blue for −1, paper for 0, red for +1; grey when undefined."""
    if not math.isfinite(rho):
        return QColor("#9a968e")
    t = max(-1.0, min(1.0, rho))
    base = np.array([245, 242, 236])
    end = np.array([200, 40, 58]) if t > 0 else np.array([59, 111, 196])
    c = base + (end - base) * abs(t)
    return QColor(int(c[0]), int(c[1]), int(c[2]))


def _short(name: str, n: int = 10) -> str:
    return name if len(name) <= n else name[:n - 1] + "…"


class CorrelationHeatmap(QWidget):
    """Spearman correlation between components; cells above 0.8 get a dark frame (flagged)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: list[str] = []
        self.matrix = np.zeros((0, 0))
        self.setMinimumSize(180, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, names: list[str], matrix: np.ndarray) -> None:
        self.names, self.matrix = list(names), np.asarray(matrix, dtype=float)
        self.setToolTip("\n".join(f"{a} × {b}: {self.matrix[i, j]:+.2f}" for i, a in enumerate(names)
                                  for j, b in enumerate(names) if j > i and math.isfinite(self.matrix[i, j])))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(280, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.names)
        if n == 0:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no components scored yet")
            return
        label_w = min(90, self.width() // 3)
        side = max(4.0, min((self.width() - label_w - 4) / n, (self.height() - 4) / n))
        font = p.font()
        font.setPointSizeF(max(6.0, min(9.0, side * 0.45)))
        p.setFont(font)
        for i, name in enumerate(self.names):
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, i * side, label_w - 4, side), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       _short(name, 12))
            for j in range(n):
                rho = float(self.matrix[i, j])
                cell = QRectF(label_w + j * side, i * side, side - 1, side - 1)
                p.fillRect(cell, _diverging(rho))
                if i != j and math.isfinite(rho) and rho > FLAG_RHO:
                    p.setPen(QPen(QColor("#222222"), 2))
                    p.drawRect(cell.adjusted(1, 1, -1, -1))
                if side >= 26 and math.isfinite(rho):
                    p.setPen(QColor("#222222"))
                    p.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{rho:.1f}")


class ContributionBars(QWidget):
    """Per component, its nominal weight share against its effective share of the total's spread."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, float, float]] = []
        self.setMinimumSize(180, 80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, effective: dict[str, dict[str, float]]) -> None:
        self.rows = [(n, float(e.get("nominal", 0.0)), float(e.get("effective", 0.0))) for n, e in effective.items()]
        self.setMinimumHeight(20 + 22 * len(self.rows))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(280, 20 + 22 * max(1, len(self.rows)))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        text = self.palette().text().color()
        if not self.rows:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no weighted components")
            return
        label_w = min(100, self.width() // 3)
        width = self.width() - label_w - 50
        top = max((max(n, e) for _, n, e in self.rows), default=1.0) or 1.0
        p.setPen(text)
        x = float(label_w)
        for label, colour in (("nominal", "#9a968e"), ("effective", "#3b6fc4"), ("2× off", "#c8283a")):
            p.fillRect(QRectF(x, 4, 10, 9), QColor(colour))
            w = p.fontMetrics().horizontalAdvance(label)
            p.drawText(QRectF(x + 13, 0, w + 4, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            x += 13 + w + 8
        for i, (name, nominal, eff) in enumerate(self.rows):
            y = 20 + i * 22
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - 6, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       _short(name, 14))
            p.fillRect(QRectF(label_w, y + 1, width * nominal / top, 7), QColor("#9a968e"))
            flagged = nominal > 0 and not (0.5 <= eff / nominal <= 2.0)
            p.fillRect(QRectF(label_w, y + 9, width * eff / top, 7), QColor("#c8283a" if flagged else "#3b6fc4"))
            p.drawText(QRectF(label_w + width + 4, y, 46, 18), Qt.AlignmentFlag.AlignVCenter,
                       f"{eff:.0%}")
