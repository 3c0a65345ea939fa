"""A grid of painting cards: thumbnail, title, prompt, a source badge and an error mark.

The model asks for a thumbnail only when the view paints that card (`thumbnail_wanted`), so a
library of thousands loads what is on screen; whoever listens loads or renders it off the GUI thread
and hands back a QImage with `set_thumbnail`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

THUMB = 176  # px, the painting's side on a card
CARD = QSize(THUMB + 16, THUMB + 58)
BADGE_COLOURS = {"starter": "#5b8c3a", "model": "#3867c9", "human": "#c0781a", "import": "#7b5ba6"}
IdRole = Qt.ItemDataRole.UserRole + 1
PromptRole = Qt.ItemDataRole.UserRole + 2
SourceRole = Qt.ItemDataRole.UserRole + 3
ErrorRole = Qt.ItemDataRole.UserRole + 4
StateRole = Qt.ItemDataRole.UserRole + 5  # "ready", "waiting", "queued", "rendering", "failed"
VersionsRole = Qt.ItemDataRole.UserRole + 6


@dataclass
class Card:
    """What one card shows; `thumb` arrives later, `state` says what the placeholder should read."""

    id: int
    title: str
    prompt: str
    source: str
    error: str | None = None
    png_path: Path | None = None
    thumb: QPixmap | None = None
    state: str = "waiting"
    versions: int = 1  # versions of one sketch stack into one card (the newest shows)


def load_thumbnail_image(path: Path, side: int = THUMB * 2) -> QImage | None:
    """Read and scale a PNG for a card; safe off the GUI thread (QImage, not QPixmap)."""
    image = QImage(str(path))
    if image.isNull():
        return None
    return image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class CardModel(QAbstractListModel):
    """The cards in grid order; asks for each missing thumbnail once, when it is first painted."""

    thumbnail_wanted = Signal(int)  # sketch id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.cards: list[Card] = []
        self._row: dict[int, int] = {}
        self._asked: set[tuple[int, Path | None]] = set()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.cards)

    def set_cards(self, cards: list[Card]) -> None:
        """Replace the cards, keeping thumbnails already loaded for the same sketch and PNG."""
        old = {c.id: c for c in self.cards}
        for card in cards:
            prev = old.get(card.id)
            if prev is not None and prev.thumb is not None and prev.png_path == card.png_path:
                card.thumb, card.state = prev.thumb, "ready"
            elif card.png_path is None and card.error:
                card.state = "failed"
            elif prev is not None and prev.state in ("queued", "rendering"):
                card.state = prev.state
        self.beginResetModel()
        self.cards = cards
        self._row = {c.id: i for i, c in enumerate(cards)}
        self._asked.clear()  # a reload asks again for what is still missing (the listener dedupes)
        self.endResetModel()

    def card(self, sketch_id: int) -> Card | None:
        row = self._row.get(sketch_id)
        return self.cards[row] if row is not None else None

    def set_thumbnail(self, sketch_id: int, image: QImage | None, *, error: str | None = None) -> None:
        """Show a loaded thumbnail, or mark the card failed (with the render error, if any)."""
        card = self.card(sketch_id)
        if card is None:
            return
        if image is not None and not image.isNull():
            card.thumb, card.state = QPixmap.fromImage(image), "ready"
        else:
            card.state = "failed"
            card.error = error or card.error
        self._changed(card)

    def set_state(self, sketch_id: int, state: str) -> None:
        card = self.card(sketch_id)
        if card is not None and card.state != state:
            card.state = state
            self._changed(card)

    def _changed(self, card: Card) -> None:
        index = self.index(self._row[card.id])
        self.dataChanged.emit(index, index)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.DecorationRole:
            if card.thumb is None and card.state == "waiting" and (card.id, card.png_path) not in self._asked:
                self._asked.add((card.id, card.png_path))
                self.thumbnail_wanted.emit(card.id)  # lazily: only cards the view actually paints
            return card.thumb
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"<b>{_esc(card.title)}</b> <i>({card.source})</i>"
            if card.prompt:
                tip += f"<br>{_esc(card.prompt)}"
            if card.versions > 1:
                tip += f"<br>{card.versions} versions; the newest shows (its history is in the editor)"
            if card.error:
                tip += f"<br><span style='color:#c0392b'>{_esc(card.error[:300])}</span>"
            return tip
        return {IdRole: card.id, PromptRole: card.prompt, SourceRole: card.source,
                ErrorRole: card.error, StateRole: card.state, VersionsRole: card.versions}.get(role)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CardDelegate(QStyledItemDelegate):
    """Paints one card: rounded thumbnail (or a placeholder), badge, title and one line of prompt."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return CARD

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        pal = option.palette
        rect = option.rect.adjusted(4, 4, -4, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        card_bg = pal.highlight().color() if selected else pal.base().color()
        if selected:
            card_bg.setAlpha(60)
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        painter.fillPath(path, card_bg)
        border = pal.highlight().color() if selected else pal.mid().color()
        painter.setPen(border if (selected or hovered) else pal.midlight().color())
        painter.drawPath(path)

        thumb_rect = QRect(rect.left() + 4, rect.top() + 4, rect.width() - 8, rect.width() - 8)
        self._paint_thumb(painter, thumb_rect, index, pal)
        self._paint_badge(painter, thumb_rect, index.data(SourceRole) or "")
        versions = index.data(VersionsRole) or 1
        if versions > 1:
            self._paint_versions(painter, thumb_rect, versions)
        if index.data(ErrorRole):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#d64541"))
            painter.drawEllipse(thumb_rect.right() - 18, thumb_rect.top() + 6, 12, 12)

        text_rect = QRect(rect.left() + 8, thumb_rect.bottom() + 6, rect.width() - 16, 18)
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(pal.text().color())
        metrics = painter.fontMetrics()
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(index.data() or "", Qt.TextElideMode.ElideRight, text_rect.width()))
        prompt = index.data(PromptRole) or ""
        if prompt:
            small = QFont(option.font)
            small.setPointSizeF(max(option.font.pointSizeF() - 1, 7))
            painter.setFont(small)
            painter.setPen(pal.placeholderText().color())
            line = text_rect.translated(0, 18)
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(prompt, Qt.TextElideMode.ElideRight, line.width()))
        painter.restore()

    def _paint_thumb(self, painter: QPainter, rect: QRect, index: QModelIndex, pal) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        pix = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pix, QPixmap) and not pix.isNull():
            painter.save()
            painter.setClipPath(clip)
            painter.drawPixmap(rect, pix)
            painter.restore()
            return
        painter.fillPath(clip, pal.alternateBase())
        state = index.data(StateRole)
        error = index.data(ErrorRole) or ""
        failed = "Too slow to render" if error.startswith("timeout") else "Does not render" if error else "No image"
        label = {"queued": "Waiting to render…", "rendering": "Rendering…", "failed": failed}
        painter.setPen(pal.placeholderText().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label.get(state, "…"))

    def _paint_versions(self, painter: QPainter, thumb: QRect, versions: int) -> None:
        _paint_versions_badge(painter, thumb, versions)

    def _paint_badge(self, painter: QPainter, thumb: QRect, source: str) -> None:
        if not source:
            return
        font = QFont(painter.font())
        font.setPointSizeF(7.5)
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(source) + 12
        badge = QRect(thumb.left() + 6, thumb.top() + 6, width, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BADGE_COLOURS.get(source, "#666666")))
        painter.drawRoundedRect(badge, 8, 8)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, source)


def _paint_versions_badge(painter: QPainter, thumb: QRect, versions: int) -> None:
    text = f"{versions} versions"
    font = QFont(painter.font())
    font.setPointSizeF(7.5)
    font.setBold(True)
    painter.setFont(font)
    width = painter.fontMetrics().horizontalAdvance(text) + 12
    badge = QRect(thumb.right() - width - 6, thumb.bottom() - 22, width, 16)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(30, 30, 30, 190))
    painter.drawRoundedRect(badge, 8, 8)
    painter.setPen(QColor("white"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


class ThumbnailGrid(QListView):
    """The card grid: Enter or double-click opens, Delete deletes, dropped files are imported."""

    open_requested = Signal(int)
    delete_requested = Signal(list)  # sketch ids
    files_dropped = Signal(list)  # Paths

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setMouseTracking(True)  # hover outline on cards
        self.setItemDelegate(CardDelegate(self))
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.doubleClicked.connect(lambda index: self.open_requested.emit(index.data(IdRole)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)  # first: the viewport takes its new width
        # Spread the columns over the full width instead of leaving a ragged gap on the right.
        # Less a scroll bar's width: the icon layout keeps room for one and would wrap the last column.
        width = self.viewport().width() - self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent) - 4
        columns = max(1, width // (CARD.width() + 8))
        grid = QSize(width // columns, CARD.height() + 8)
        if grid != self.gridSize():
            self.setGridSize(grid)

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes()) if self.selectionModel() else []
        return [self.model().index(r, 0).data(IdRole) for r in rows]

    def select_id(self, sketch_id: int) -> None:
        for row in range(self.model().rowCount()):
            index = self.model().index(row, 0)
            if index.data(IdRole) == sketch_id:
                self.setCurrentIndex(index)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().data(IdRole))
        elif event.key() == Qt.Key.Key_Delete and self.selected_ids():
            self.delete_requested.emit(self.selected_ids())
        else:
            super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            super().dropEvent(event)
