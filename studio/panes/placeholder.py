"""A pane that is not built yet (or failed to load): says so plainly."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPane(QWidget):
    """Centered text: "coming in a later release", or why the real pane could not be built."""

    def __init__(self, title: str, text: str = "Coming in a later release.", parent: QWidget | None = None):
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
