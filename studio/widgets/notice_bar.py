"""The bar above a view for one message: info, warning or error, an optional action button ("Undo"), a close
button; it stays until closed, or for `timeout_ms` (hovering keeps it open).

Its colours are a tint of the kind's hue laid over whatever is behind it, and its text is the palette's: the
same bar reads on the light and the dark theme without being told which one is on.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

KINDS = ("info", "warning", "error")
HUES = {"info": (47, 101, 202), "warning": (214, 152, 0), "error": (214, 48, 39)}
# of 255: enough tint to tell the kinds apart, little enough that palette text stays legible on it
FILL_ALPHA, BORDER_ALPHA = 46, 150


class NoticeBar(QFrame):
    """`show_message(text, kind=..., action=("Undo", fn))`; `text` is what it shows ("" when hidden)."""

    def __init__(self, parent: QWidget | None = None, *, timeout_ms: int | None = None):
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self.kind = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setAutoDefault(False)
        self.action_button.hide()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self._action: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self._timer = QTimer(self, singleShot=True, timeout=self.clear)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget()) else ""

    def show_message(self, text: str, *, kind: str = "info", action: tuple[str, Callable[[], object]] | None = None,
                     details: str = "") -> None:
        """Show `text` (plain), with an optional (label, callback) button; replaces what was shown."""
        if kind not in KINDS:
            raise ValueError(f"notice kind {kind!r}: use one of {', '.join(KINDS)}")
        self.kind = kind
        r, g, b = HUES[kind]
        self.setStyleSheet(f"NoticeBar {{ background: rgba({r}, {g}, {b}, {FILL_ALPHA}); "
                           f"border: 1px solid rgba({r}, {g}, {b}, {BORDER_ALPHA}); border-radius: 4px; }}")
        self.label.setText(text)
        self.label.setToolTip(details)
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self.show()
        if self.timeout_ms is not None:
            self._timer.start(self.timeout_ms)

    def show_info(self, text: str) -> None:
        self.show_message(text, kind="info")

    def show_warning(self, text: str) -> None:
        self.show_message(text, kind="warning")

    def show_error(self, text: str) -> None:
        self.show_message(text, kind="error")

    def clear(self) -> None:
        self._timer.stop()
        self._action = None
        self.kind = ""
        self.label.clear()
        self.hide()

    def enterEvent(self, event) -> None:  # noqa: N802 (Qt override): reading takes time
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self.isVisible() and self.timeout_ms is not None:
            self._timer.start(self.timeout_ms)
        super().leaveEvent(event)

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()
