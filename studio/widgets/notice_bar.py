"""A transient bar above a view: one message, an optional action button ("Undo"), a close button."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

STYLES = {
    "info": "background: palette(alternate-base); border: 1px solid palette(mid);",
    "error": "background: #fbe9e7; color: #7f1d12; border: 1px solid #e8a79c;",
}
DARK_STYLES = {**STYLES, "error": "background: #5a1e1c; color: #ffd2cf; border: 1px solid #8c3a35;"}


class NoticeBar(QFrame):
    """Shows `show_message(text, action=("Undo", fn))` for a few seconds; hover keeps it open."""

    def __init__(self, parent: QWidget | None = None, *, timeout_ms: int = 10_000):
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self.kind, self.dark = "info", False
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setAutoDefault(False)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self._action: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self._timer = QTimer(self, singleShot=True, timeout=self.dismiss)
        self.hide()

    def show_message(self, text: str, *, action: tuple[str, Callable[[], object]] | None = None,
                     kind: str = "info", details: str = "") -> None:
        """Show `text` (plain), with an optional (label, callback) button; replaces what was shown."""
        self.kind = kind
        self._style()
        self.label.setText(text)
        self.label.setToolTip(details)
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self.show()
        self._timer.start(self.timeout_ms)

    def _style(self) -> None:
        styles = DARK_STYLES if self.dark else STYLES
        self.setStyleSheet(f"NoticeBar {{ {styles.get(self.kind, styles['info'])} border-radius: 4px; }}")

    def set_dark(self, dark: bool) -> None:
        """Follow the studio's theme (an error's colours are the bar's own, not the palette's)."""
        self.dark = dark
        self._style()

    def dismiss(self) -> None:
        self._timer.stop()
        self._action = None
        self.hide()

    def enterEvent(self, event) -> None:  # noqa: N802 (Qt override): reading takes time
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self.isVisible():
            self._timer.start(self.timeout_ms)
        super().leaveEvent(event)

    def _run_action(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
