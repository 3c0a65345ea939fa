"""The one question about unsaved editor text: save, let go, or cancel (opening another sketch, quitting)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def open_unsaved_box(parent: QWidget, name: str, text: str, info: str, save_label: str, discard_label: str,
                     on_answer: Callable[[str], None]) -> QMessageBox:
    """Open (window-modal, not a nested event loop: renders and saves keep running) a box whose answer,
    "save", "discard" or "cancel", goes to `on_answer`; `name` is its object name (tests find it)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", text, parent=parent)
    box.setObjectName(name)
    box.setInformativeText(info)
    save = box.addButton(save_label, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(discard_label, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        on_answer("save" if clicked is save else "discard" if clicked is discard else "cancel")
    box.finished.connect(answered)
    box.open()
    return box
