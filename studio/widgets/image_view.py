"""A preview image: fit-to-window or 100 % zoom, with a `painted` signal for latency measurement."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget


class _Canvas(QWidget):
    painted = Signal(int)

    def __init__(self, view: ImageView):
        super().__init__()
        self.view = view
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        pix = self.view.pixmap
        return pix.deviceIndependentSize().toSize() if pix and not self.view.fit else QSize(200, 200)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        pix = self.view.pixmap
        if pix is not None and not pix.isNull():
            if self.view.fit:
                size = pix.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            else:
                size = pix.size()
            x = (self.width() - size.width()) // 2
            y = (self.height() - size.height()) // 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(max(x, 0), max(y, 0), size.width(), size.height(), pix)
        elif self.view.placeholder:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.view.placeholder)
        painter.end()
        self.painted.emit(self.view.serial)


class ImageView(QScrollArea):
    """Shows a PNG scaled to fit (default) or at 100 %; `painted(serial)` fires after each paint."""

    painted = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.png: bytes | None = None
        self.serial = 0  # bumps with every new image, so a watcher knows which one was painted
        self.fit = True
        self.placeholder = "No image yet"
        self._canvas = _Canvas(self)
        self._canvas.painted.connect(self.painted)
        self.setWidget(self._canvas)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 160)

    def set_png(self, png: bytes | None) -> int:
        """Show this PNG (None clears); returns the new serial number."""
        self.png = png
        if png:
            img = QImage.fromData(png, "PNG")
            self.pixmap = QPixmap.fromImage(img) if not img.isNull() else None
        else:
            self.pixmap = None
        self.serial += 1
        self._relayout()
        if self._canvas.isVisible():
            self._canvas.repaint()  # paint now, not on a later pass of the event loop: the user is waiting
        return self.serial

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self._canvas.update()

    def set_fit(self, fit: bool) -> None:
        """Fit the window (True) or show pixels 1:1 with scroll bars (False)."""
        self.fit = fit
        self._relayout()

    def _relayout(self) -> None:
        self.setWidgetResizable(self.fit or self.pixmap is None)
        if not self.widgetResizable() and self.pixmap is not None:
            self._canvas.resize(self.pixmap.deviceIndependentSize().toSize())
        self._canvas.updateGeometry()
        self._canvas.update()
