"""The Rate pane's big image: draws a pre-scaled QImage centred, with a tier badge, and counts paints."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

TIER_COLOURS = {"love": "#e0457b", "okay": "#e7a33e", "nope": "#8d8d8d"}
TIER_MARKS = {"love": "♥", "okay": "●", "nope": "✕"}


class RatingImageView(QWidget):
    """Shows one image as fast as Qt can paint it; `on_painted` callbacks run after each paint.

    Plain callbacks, not Qt signals: in PySide6 6.12 every Python-side `Signal.emit` drops a
    reference to True, and this one fires on every paint (the process aborts after ~2,800).
    """

    def __init__(self, parent: QWidget | None = None, background: str = "#1d1e20"):
        super().__init__(parent)
        self.image: QImage | None = None
        self.image_id = -1
        self.tier: str | None = None
        self.preview = False  # True while a small stand-in shows until the full decode lands
        self.placeholder = ""
        self.paint_count = 0
        self.background = QColor(background)
        self.on_painted: list[Callable[[int], None]] = []
        self.on_resized: list[Callable[[], None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we fill every pixel: skip the parents

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(720, 720)

    def target_size(self, width: int, height: int) -> QSize:
        """Device pixels an image of this size will occupy here (what to decode it to)."""
        ratio = self.devicePixelRatioF()
        box = QSize(int(self.width() * ratio) - 24, int(self.height() * ratio) - 24)
        return QSize(width, height).scaled(box.expandedTo(QSize(64, 64)), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        for callback in self.on_resized:
            callback()

    def show_image(self, image_id: int, image: QImage | None, tier: str | None, placeholder: str = "",
                   preview: bool = False) -> None:
        self.image_id, self.image, self.tier, self.placeholder = image_id, image, tier, placeholder
        self.preview = preview
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.fillRect(self.rect(), self.background)
        if self.image is not None and not self.image.isNull():
            ratio = self.devicePixelRatioF()
            size = self.image.size() / ratio
            if self.preview or size.width() > self.width() - 24 or size.height() > self.height() - 24:
                size = size.scaled(QSize(self.width() - 24, self.height() - 24), Qt.AspectRatioMode.KeepAspectRatio)
            # whole-pixel position: an unscaled, aligned image is a plain blit, not a smooth transform
            x, y = (self.width() - size.width()) // 2, (self.height() - size.height()) // 2
            target = QRectF(x, y, size.width(), size.height())
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self.image)
            if self.tier:
                self._badge(p, target)
        elif self.placeholder:
            p.setPen(QColor("#a9abb0"))
            f = QFont(self.font())
            f.setPointSizeF(f.pointSizeF() * 1.3)
            p.setFont(f)
            p.drawText(self.rect().adjusted(40, 40, -40, -40),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
        p.end()
        self.paint_count += 1
        for callback in self.on_painted:
            callback(self.image_id)

    def _badge(self, p: QPainter, target: QRectF) -> None:
        # the current tier of an already-rated image, so a re-rate is never a surprise
        text = f"{TIER_MARKS[self.tier]}  {self.tier}"
        f = QFont(self.font())
        f.setBold(True)
        p.setFont(f)
        w = p.fontMetrics().horizontalAdvance(text) + 22
        box = QRectF(target.right() - w - 10, target.top() + 10, w, 28)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(Qt.PenStyle.NoPen))
        p.setBrush(QColor(TIER_COLOURS[self.tier]))
        p.drawRoundedRect(box, 14, 14)
        p.setPen(QColor("white"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
