"""The lineage graph of an evolution: parent → child edges, Pareto front highlighted, rejected proposals marked.

Columns are generations (the seed at the left, its children next), proposals of one generation stack
downwards in the order they were made. Accepted
candidates are filled discs, rejected proposals hollow dashed discs with a cross, the Pareto front
wears a gold ring. Each node shows its key, score and hallucinated-API rate; a click selects it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from core.prompts.lineage import Lineage, LineageNode

RADIUS = 16
COL_W = 118
ROW_H = 64
MARGIN = 30
COLOURS = {"seed": QColor("#8a8f98"), "accepted": QColor("#3b7dd8"), "rejected": QColor("#d0504a")}
FRONT = QColor("#e0a400")


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class LineageGraph(QWidget):
    """Draws a Lineage; `selected(key)` fires on click."""

    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lineage: Lineage | None = None
        self.positions: dict[str, QPointF] = {}
        self.current: str | None = None
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_lineage(self, lineage: Lineage) -> None:
        """Lay out and repaint; keeps the selection when its node is still there."""
        self.lineage = lineage
        self.positions = {}
        # Column = generation (seed 0, its children 1, ...): a long run grows downwards, not off-screen.
        depth: dict[int, int] = {}
        columns: dict[int, int] = {}
        for node in lineage.nodes:
            col = 1 + max((depth.get(p, 0) for p in node.parents), default=-1)
            if node.idx is not None:
                depth[node.idx] = col
            row = columns.get(col, 0)
            columns[col] = row + 1
            self.positions[node.key] = QPointF(MARGIN + RADIUS + col * COL_W, MARGIN + RADIUS + row * ROW_H)
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        if not self.positions:
            return QSize(300, 160)
        xs = [p.x() for p in self.positions.values()]
        ys = [p.y() for p in self.positions.values()]
        return QSize(int(max(xs)) + COL_W, int(max(ys)) + ROW_H)

    def node_at(self, point: QPointF) -> str | None:
        for key, pos in self.positions.items():
            if (pos - point).manhattanLength() <= RADIUS * 1.5:
                return key
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        key = self.node_at(event.position())
        if key is not None:
            self.select(key)

    def select(self, key: str) -> None:
        """Select a node by key and tell listeners."""
        self.current = key
        self.update()
        self.selected.emit(key)

    def _node(self, key: str) -> LineageNode | None:
        return next((n for n in self.lineage.nodes if n.key == key), None) if self.lineage else None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().text().color()
        if not self.lineage or not self.lineage.nodes:
            p.setPen(text_colour)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No candidates yet: start an evolution or pick a run.")
            return
        by_idx = {n.idx: n.key for n in self.lineage.nodes if n.idx is not None}
        p.setPen(QPen(QColor("#9aa0a8"), 1.5))
        for node in self.lineage.nodes:
            for parent in node.parents:
                if parent in by_idx and node.key in self.positions:
                    a, b = self.positions[by_idx[parent]], self.positions[node.key]
                    p.drawLine(a + QPointF(RADIUS, 0), b - QPointF(RADIUS, 0))
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.8, 7))
        for node in self.lineage.nodes:
            self._draw_node(p, node, text_colour, small)
        p.end()

    def _draw_node(self, p: QPainter, node: LineageNode, text_colour: QColor, small: QFont) -> None:
        pos = self.positions[node.key]
        colour = COLOURS.get(node.status, COLOURS["accepted"])
        rect = QRectF(pos.x() - RADIUS, pos.y() - RADIUS, 2 * RADIUS, 2 * RADIUS)
        if node.on_front:
            p.setPen(QPen(FRONT, 4))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(rect.adjusted(-5, -5, 5, 5))
        if node.status == "rejected":
            p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(rect)
            p.drawLine(rect.topLeft() + QPointF(8, 8), rect.bottomRight() - QPointF(8, 8))
            p.drawLine(rect.topRight() + QPointF(-8, 8), rect.bottomLeft() + QPointF(8, -8))
        else:
            p.setPen(QPen(colour.darker(130), 1.5))
            p.setBrush(QBrush(colour))
            p.drawEllipse(rect)
            p.setPen(QColor("white"))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(node.idx))
        if node.key == self.current:
            p.setPen(QPen(text_colour, 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(rect.adjusted(-9, -9, 9, 9))
        p.setPen(text_colour)
        p.setFont(small)
        score = "–" if node.score is None else f"{node.score:.2f}"
        label = f"{score} · halluc {_rate(node.metrics.get('hallucination_rate'))}"
        p.drawText(QRectF(pos.x() - COL_W / 2, pos.y() + RADIUS + 2, COL_W, 16), Qt.AlignmentFlag.AlignHCenter, label)
