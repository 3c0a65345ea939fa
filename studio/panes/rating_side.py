"""The Rate pane's side strip: a pinned reference image to compare against, and the last few ratings."""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from studio.ops.rating import GROUP_SWATCH
from studio.widgets.rating_caption import TextLine
from studio.widgets.rating_image import TIER_COLOURS, TIER_MARKS

if TYPE_CHECKING:
    from core.pool import PoolImage

WIDTH = 260


def _heading(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setStyleSheet("color: palette(placeholder-text); font-size: 10px; font-weight: 600; letter-spacing: 1px;")
    return label


class RatingSide(QFrame):
    """Pin: P pins the current image, or click one in the pool view. Recent: what undo will undo."""

    unpinned = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedWidth(WIDTH)
        self.pinned_id: int | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 4, 0, 4)
        col.setSpacing(6)
        col.addWidget(_heading("Reference"))
        self.pin_image = QLabel()
        # shrinks in a short window (down to a small reference) instead of pushing the captions off
        self.pin_image.setMinimumSize(WIDTH - 12, 90)
        self.pin_image.setMaximumSize(WIDTH - 12, WIDTH - 40)
        self.pin_image.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.pin_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_image.setStyleSheet("background: #1d1e20; color: #8f9197; border-radius: 6px;")
        # painted lines, not a word-wrapped label: height-for-width would make the pane scroll
        self.pin_caption = TextLine()
        self.pin_detail = TextLine(scale=0.9, muted=True)
        self.unpin = QPushButton("Unpin")
        self.unpin.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.unpin.clicked.connect(self.clear_pin)
        col.addWidget(self.pin_image)
        col.addWidget(self.pin_caption)
        col.addWidget(self.pin_detail)
        col.addWidget(self.unpin, 0, Qt.AlignmentFlag.AlignLeft)
        col.addSpacing(10)
        col.addWidget(_heading("Recent"))
        self.recent = RecentList()
        col.addWidget(self.recent, 1)
        col.addStretch(1)  # past their largest sizes, the room goes below, not between the parts
        self.clear_pin()

    def picture_size(self, image: PoolImage) -> QSize:
        """Device pixels the pinned picture occupies (what to decode it to, off the GUI thread)."""
        return QSize(image.width, image.height).scaled(self.pin_image.size() * self.devicePixelRatioF(),
                                                       Qt.AspectRatioMode.KeepAspectRatio)

    def pin(self, image: PoolImage, picture: QImage) -> None:
        """Show `image` as the reference; `picture` is its decoded pixels at picture_size()."""
        pix = QPixmap.fromImage(picture)
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        self.pin_image.setPixmap(pix)
        self.pinned_id = image.id
        tier = f" · {image.tier}" if image.tier else ""
        self.pin_caption.set_text(image.prompt or "(no prompt)")
        name = image.name
        self.pin_detail.set_text(" · ".join([*([name] if name else []), image.colour_group + tier]),
                                 dot=GROUP_SWATCH.get(image.colour_group))
        self.unpin.show()

    def clear_pin(self) -> None:
        self.pinned_id = None
        self.pin_image.clear()
        self.pin_image.setText("P pins the current image here;\nor click one in the pool view.")
        self.pin_caption.set_text("")
        self.pin_detail.set_text("")
        self.unpin.hide()
        self.unpinned.emit()

    def add_recent(self, tier: str | None, prompt: str | None, undo: bool = False) -> None:
        self.recent.add(None if undo else tier, prompt or "(no prompt)")


class RecentList(QWidget):
    """The last few ratings, newest first, painted (a rich-text label would relayout per key press)."""

    ROW, ROWS = 24, 8

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: deque[tuple[str | None, str]] = deque(maxlen=self.ROWS)
        self.setFixedWidth(WIDTH - 12)
        self.setMinimumHeight(self.ROW * 2)  # as many rows as fit show; the newest first
        self.setMaximumHeight(self.ROW * self.ROWS)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def add(self, tier: str | None, prompt: str) -> None:
        """tier None = an undo."""
        self.rows.appendleft((tier, prompt))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        muted = self.palette().placeholderText().color()
        if not self.rows:
            p.setPen(muted)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, "Ratings you make appear here.")
        fm = self.fontMetrics()
        for i, (tier, prompt) in enumerate(self.rows):
            y = i * self.ROW
            p.setPen(QColor(TIER_COLOURS[tier]) if tier else muted)
            p.drawText(QRect(0, y, 18, self.ROW), Qt.AlignmentFlag.AlignVCenter, TIER_MARKS[tier] if tier else "↶")
            p.setPen(self.palette().windowText().color() if tier else muted)
            p.drawText(QRect(18, y, 44, self.ROW), Qt.AlignmentFlag.AlignVCenter, tier or "undo")
            p.setPen(muted)
            p.drawText(QRect(66, y, self.width() - 66, self.ROW), Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(prompt, Qt.TextElideMode.ElideRight, self.width() - 66))
        p.end()
