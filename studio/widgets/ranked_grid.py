"""Ranked thumbnails for the Rubric pane: rated paintings in the rubric's order, re-ordered in place.

`set_order` changes only the row → image mapping and emits layoutChanged, so re-ranking 200
thumbnails while a slider is dragged costs well under a millisecond; pixmaps are made once from
QImages decoded off the GUI thread.
"""
from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

THUMB = 96
CELL = QSize(THUMB + 8, THUMB + 22)
TIER_COLOURS = {"love": "#3f9b4f", "okay": "#d9a21b", "nope": "#c8283a"}


def decode_thumb(path: Path | None, side: int = THUMB) -> QImage:
    """A square-fitted QImage of a thumbnail (safe off the GUI thread); a grey square when unreadable."""
    image = QImage(str(path)) if path else QImage()
    if image.isNull():
        image = QImage(side, side, QImage.Format.Format_RGB32)
        image.fill(QColor("#9a968e"))
    return image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class RankedModel(QAbstractListModel):
    """Rows are ranks; `order[r]` is the image index shown at rank r."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tiers: list[str] = []
        self.labels: list[str] = []
        self.images: list[QImage] = []
        self.pixmaps: dict[int, QPixmap] = {}
        self.order: list[int] = []
        self.totals: list[float] = []

    def set_items(self, tiers: list[str], labels: list[str], images: list[QImage]) -> None:
        self.beginResetModel()
        self.tiers, self.labels, self.images = list(tiers), list(labels), list(images)
        self.pixmaps = {}
        self.order = list(range(len(tiers)))
        self.totals = [math.nan] * len(tiers)
        self.endResetModel()

    def set_order(self, order: list[int], totals: list[float]) -> None:
        """Show the images in `order` (indices), each with its total."""
        self.layoutAboutToBeChanged.emit()
        self.order, self.totals = list(order), list(totals)
        self.layoutChanged.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.order)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        i = self.order[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            t = self.totals[i]
            return f"#{index.row() + 1} {'—' if math.isnan(t) else f'{t:.2f}'}"
        if role == Qt.ItemDataRole.DecorationRole:
            if i not in self.pixmaps:
                self.pixmaps[i] = QPixmap.fromImage(self.images[i])
            return self.pixmaps[i]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.labels[i]}\nrated {self.tiers[i]}"
        if role == Qt.ItemDataRole.UserRole:
            return self.tiers[i]
        return None


class RankedDelegate(QStyledItemDelegate):
    """Thumbnail with a tier-coloured frame and the rank and total under it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        r = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(r, option.palette.highlight())
        tier = index.data(Qt.ItemDataRole.UserRole)
        pix = index.data(Qt.ItemDataRole.DecorationRole)
        frame = QRect(r.x() + 2, r.y() + 2, THUMB + 4, THUMB + 4)
        painter.fillRect(frame, QColor(TIER_COLOURS.get(tier, "#9a968e")))
        if pix is not None:
            x = frame.x() + 2 + (THUMB - pix.width()) // 2
            y = frame.y() + 2 + (THUMB - pix.height()) // 2
            painter.drawPixmap(x, y, pix)
        painter.setPen(option.palette.text().color())
        painter.drawText(QRect(r.x(), r.y() + THUMB + 6, r.width(), 16), Qt.AlignmentFlag.AlignCenter,
                         f"{index.data(Qt.ItemDataRole.DisplayRole)} {tier}")

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return CELL


class RankedGrid(QListView):
    """A wrapping icon grid over a RankedModel."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ranked = RankedModel(self)
        self.setModel(self.ranked)
        self.setItemDelegate(RankedDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(CELL + QSize(4, 4))
        self.setSpacing(2)
        self.setWrapping(True)
        self.setMinimumSize(240, 180)
