"""The Rate pane's filter bar: which images to walk (unrated / tier), colour, source, prompt text, order."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.pool import ALL_GROUPS, SOURCES
from studio.ops.rating import GROUP_SWATCH
from studio.widgets.responsive_row import ResponsiveRow

SHOW = (("Unrated", "unrated"), ("All", "all"), ("Love", "love"), ("Okay", "okay"), ("Nope", "nope"))
ORDERS = (("Random", "random"), ("By prompt", "prompt"), ("Least sure", "least_sure"))


def swatch_icon(colour: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


class RatingFilters(QWidget):
    """Emits `changed` (debounced for typing) whenever a filter changes; `values()` reads them all."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row, rest = QHBoxLayout(), QHBoxLayout()
        for r in (row, rest):
            r.setSpacing(6)
        self.show_box = self._combo(SHOW)
        self.colour_box = QComboBox()
        self.colour_box.addItem("Any colour", None)
        for g in ALL_GROUPS:
            self.colour_box.addItem(swatch_icon(GROUP_SWATCH[g]), g, g)
        self.source_box = self._combo((("Any source", None), *((s, s) for s in SOURCES)))
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter by prompt…")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(120)
        self.text.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # never reached by Tab from the image
        self.order_box = self._combo(ORDERS)
        for label, widget in (("Show", self.show_box), ("Colour", self.colour_box), ("Source", self.source_box)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.text, 1)
        rest.addWidget(QLabel("Order"))
        rest.addWidget(self.order_box)
        # the order goes under the others when the window is narrow
        self.rows = ResponsiveRow(row, rest, spacing=6)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.rows)
        for box in (self.show_box, self.colour_box, self.source_box, self.order_box):
            box.currentIndexChanged.connect(self.changed)
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # keep 1/2/3 for rating, not combo search
        self._typing = QTimer(self, singleShot=True, interval=250)
        self._typing.timeout.connect(self.changed)
        self.text.textChanged.connect(self._typing.start)

    @staticmethod
    def _combo(items) -> QComboBox:
        box = QComboBox()
        for label, data in items:
            box.addItem(label, data)
        return box

    def values(self) -> dict:
        return {
            "show": self.show_box.currentData(),
            "colour_group": self.colour_box.currentData(),
            "source": self.source_box.currentData(),
            "text": self.text.text().strip() or None,
            "order": self.order_box.currentData(),
        }

    def set_least_sure(self, problem: str | None) -> None:
        """Offer "Least sure" only once a reward model can tell (else greyed out, saying why)."""
        index = self.order_box.findData("least_sure")
        item = self.order_box.model().item(index)
        item.setEnabled(problem is None)
        item.setToolTip(problem or "The images the learned reward model is least sure about come first")
        if problem is not None and self.order_box.currentIndex() == index:
            self.order_box.setCurrentIndex(0)  # back to Random (reloads through `changed`)

    def set_show(self, show: str) -> None:
        self.show_box.setCurrentIndex(self.show_box.findData(show))
