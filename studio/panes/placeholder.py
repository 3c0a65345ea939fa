"""Where a pane failed to build: says why, plainly, and the rest of the studio works on."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPane(QWidget):
    """Centered text: why the real pane could not be built."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.text = text
        label = QLabel(f"<h2>{title}</h2><p>{text}</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def shortcuts(self) -> list[tuple[str, str]]:
        return []
