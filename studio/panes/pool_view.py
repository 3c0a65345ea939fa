"""The pool as a figure of swatches: one row per colour group, thumbnails with tier badges, thin colours flagged.

The overview and the thumbnails are read in threads (studio/ops/rating.py), as tasks of the Rate
pane's TaskSet: a thumbnail not decoded yet paints as a grey square until it lands.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from core.pool import ALL_GROUPS
from studio.ops import rating as ops
from studio.ops.rating import GROUP_SWATCH
from studio.panes.tasks import TaskSet
from studio.widgets.rating_image import TIER_COLOURS, TIER_MARKS

if TYPE_CHECKING:
    from core.pool import PoolImage, RatingPool

THUMB, GAP, MARGIN, HEADER = 96, 6, 16, 46
SHOW = (("Love + okay (the reference pool)", ("love", "okay")), ("Love", ("love",)),
        ("All images", None))
THIN_COLOUR = "#d9534f"


@dataclass
class Section:
    group: str
    counts: dict[str, int]
    thin: bool
    images: list[PoolImage]
    top: int = 0
    height: int = 0


class PoolGrid(QWidget):
    """Custom-painted grid (only visible thumbnails are loaded); a click emits `picked(image_id)`."""

    picked = Signal(int)

    def __init__(self, tasks: TaskSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.sections: list[Section] = []
        self.min_love = 10
        self._pixmaps: dict[int, QPixmap] = {}
        self._requested: set[int] = set()
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # G and arrows keep working on the Pool page

    def set_sections(self, sections: list[Section]) -> None:
        self.sections = sections
        self._relayout()
        self.update()

    def _cols(self) -> int:
        return max(1, (self.width() - 2 * MARGIN + GAP) // (THUMB + GAP))

    def _relayout(self) -> None:
        y, cols = 8, self._cols()
        for s in self.sections:
            rows = (len(s.images) + cols - 1) // cols
            s.top, s.height = y, HEADER + rows * (THUMB + GAP) + (14 if rows else 4)
            y += s.height
        self.setMinimumHeight(y + 8)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._relayout()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, self.minimumHeight())

    def _thumb_rect(self, s: Section, i: int) -> QRect:
        cols = self._cols()
        return QRect(MARGIN + (i % cols) * (THUMB + GAP), s.top + HEADER + (i // cols) * (THUMB + GAP), THUMB, THUMB)

    def _pixmap(self, im: PoolImage) -> QPixmap | None:
        """The thumbnail if decoded; else None, and its decode is started in a thread."""
        pix = self._pixmaps.get(im.id)
        if pix is None and im.id not in self._requested:
            self._requested.add(im.id)
            ratio = self.devicePixelRatioF()
            size = QSize(im.width, im.height).scaled(QSize(int(THUMB * ratio), int(THUMB * ratio)),
                                                     Qt.AspectRatioMode.KeepAspectRatioByExpanding)
            self.tasks.spawn(self._decode(im.id, str(im.thumb_path or im.path), size))
        return pix

    async def _decode(self, image_id: int, path: str, size: QSize) -> None:
        image = await ops.load_picture(path, size)
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        self._pixmaps[image_id] = pix
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = event.rect()
        for s in self.sections:
            if s.top > clip.bottom() or s.top + s.height < clip.top():
                continue
            self._header(p, s)
            for i, im in enumerate(s.images):
                r = self._thumb_rect(s, i)
                if r.intersects(clip):
                    self._thumb(p, r, im)
        p.end()

    def _header(self, p: QPainter, s: Section) -> None:
        y = s.top + 10
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(GROUP_SWATCH[s.group]))
        p.drawEllipse(QRectF(MARGIN, y + 2, 20, 20))
        f = QFont(self.font())
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        p.setFont(f)
        p.setPen(self.palette().windowText().color())
        p.drawText(MARGIN + 30, y + 18, s.group)
        x = MARGIN + 30 + p.fontMetrics().horizontalAdvance(s.group) + 14
        p.setFont(self.font())
        c = s.counts
        p.setPen(self.palette().placeholderText().color())
        text = f"{c['love']} love · {c['okay']} okay · {c['nope']} nope · {c['unrated']} unrated"
        p.drawText(x, y + 17, text)
        x += p.fontMetrics().horizontalAdvance(text) + 14
        if s.thin:
            badge = f"thin: {c['love']} love, below {self.min_love}"
            w = p.fontMetrics().horizontalAdvance(badge) + 18
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(THIN_COLOUR))
            p.drawRoundedRect(QRectF(x, y + 2, w, 20), 10, 10)
            p.setPen(QColor("white"))
            p.drawText(QRectF(x, y + 2, w, 20), Qt.AlignmentFlag.AlignCenter, badge)
        p.setPen(self.palette().mid().color())
        p.drawLine(MARGIN, s.top + HEADER - 8, self.width() - MARGIN, s.top + HEADER - 8)

    def _thumb(self, p: QPainter, r: QRect, im: PoolImage) -> None:
        pix = self._pixmap(im)
        if pix is None or pix.isNull():
            p.fillRect(r, self.palette().mid())
            return
        src = QRectF(0, 0, pix.width(), pix.height())
        side = min(src.width(), src.height())
        src = QRectF((src.width() - side) / 2, (src.height() - side) / 2, side, side)
        p.drawPixmap(QRectF(r), pix, src)
        if im.tier:
            badge = QRectF(r.right() - 22, r.top() + 4, 18, 18)
            p.setPen(QColor("white"))
            p.setBrush(QColor(TIER_COLOURS[im.tier]))
            p.drawEllipse(badge)
            f = QFont(self.font())
            f.setPointSizeF(max(6.0, f.pointSizeF() * 0.75))
            p.setFont(f)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, TIER_MARKS[im.tier])

    def image_at(self, x: int, y: int) -> int | None:
        for s in self.sections:
            for i, im in enumerate(s.images):
                if self._thumb_rect(s, i).contains(x, y):
                    return im.id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        hit = self.image_at(int(event.position().x()), int(event.position().y()))
        if hit is not None:
            self.picked.emit(hit)


class PoolView(QWidget):
    """The pool grouped by colour, with a tier filter and the thin-colour threshold."""

    picked = Signal(int)

    def __init__(self, pool: RatingPool, tasks: TaskSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.pool, self.tasks = pool, tasks
        self._generation = 0
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: 600;")
        self.show_box = QComboBox()
        for label, tiers in SHOW:
            self.show_box.addItem(label, tiers)
        self.min_love = QSpinBox()
        self.min_love.setRange(1, 1000)
        self.min_love.setValue(10)
        self.min_love.setPrefix("thin below ")
        self.min_love.setSuffix(" love")
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.show_box)
        bar.addWidget(self.min_love)
        col.addLayout(bar)
        self.grid = PoolGrid(tasks)
        self.grid.picked.connect(self.picked)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.grid)
        col.addWidget(self.scroll, 1)
        self.show_box.currentIndexChanged.connect(self.refresh)
        self.min_love.valueChanged.connect(self.refresh)

    def refresh(self) -> None:
        """Reload from the pool in the background (one query per tier shown; thumbnails load as they scroll in)."""
        self._generation += 1
        self.tasks.spawn(self._load(self._generation, self.show_box.currentData(), self.min_love.value()))

    async def _load(self, generation: int, tiers: tuple[str, ...] | None, min_love: int) -> None:
        data = await ops.load_overview(self.pool, tiers, min_love)
        if generation != self._generation:
            return  # refreshed again meanwhile: the newer read draws
        counts, thin, images = data.group_counts, data.thin, data.images
        order = {"love": 0, "okay": 1, "nope": 2, None: 3}
        sections = []
        for g in ALL_GROUPS:
            members = sorted((im for im in images if im.colour_group == g), key=lambda im: (order[im.tier], im.id))
            if members or counts[g]["images"] or g in thin:
                sections.append(Section(g, counts[g], g in thin, members))
        self.grid.min_love = min_love
        self.grid.set_sections(sections)
        total = data.counts
        self.summary.setText(
            f"{len(images):,} images shown · {total['love']:,} love · {total['okay']:,} okay · "
            f"{len(thin)} thin colour{'s' if len(thin) != 1 else ''}")
