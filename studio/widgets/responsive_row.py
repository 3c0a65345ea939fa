"""A bar of two groups that sit side by side when the window is wide and stack when it is narrow.

Without it a tool bar's minimum width (the sum of every button) becomes the pane's, and at 900 px a
pane is wider than the window: it scrolls sideways and its last buttons are cut off.
"""
from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget


class ResponsiveRow(QWidget):
    """`first` then `second` in one row when both fit at their preferred widths, else `second` below."""

    def __init__(self, first: QLayout, second: QLayout, spacing: int = 12, parent: QWidget | None = None):
        super().__init__(parent)
        self.first, self.second = first, second
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self.box.addLayout(first, 1)
        self.box.addLayout(second)
        self._fit_minimum()

    @property
    def stacked(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def _fit_minimum(self) -> None:
        # An explicit minimum: the parent may squeeze us to the wider group alone (then we stack),
        # not to the sum of both groups.
        self.setMinimumWidth(max(self.first.minimumSize().width(), self.second.minimumSize().width()))

    def wanted_width(self) -> int:
        """Width both groups need side by side, at their preferred sizes."""
        return self.first.sizeHint().width() + self.second.sizeHint().width() + self.box.spacing()

    def refit(self, width: int | None = None) -> None:
        """Side by side or stacked for `width` (default: ours now); call it after a text in a group
        changed without a resize (a title that grew)."""
        width = self.width() if width is None else width
        direction = (QBoxLayout.Direction.LeftToRight if width >= self.wanted_width()
                     else QBoxLayout.Direction.TopToBottom)
        if direction != self.box.direction():
            self.box.setDirection(direction)
            self.updateGeometry()  # our height changed: the pane lays out again
        self._fit_minimum()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self.refit(event.size().width())
        super().resizeEvent(event)
