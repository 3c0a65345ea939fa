"""Fields that don't change under the wheel: over a form, the wheel scrolls the form.

A spin box, combo box or slider takes wheel turns only once it has the keyboard focus (a click or
Tab); until then the turn goes on to the scroll area around it. Without this, scrolling a long form
changed whatever field passed under the pointer (lora alpha 32 → 24, min free mb 200 → 194).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class WheelGuard(QObject):
    """Event filter: a wheel event over an unfocused field is passed to its parent instead."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            event.ignore()  # filtered but not accepted: Qt hands the wheel to the parent (the scroll area)
            return True
        return False


_GUARD = WheelGuard()


def guard_wheel(root: QWidget) -> int:
    """Guard every spin box, combo box and slider under `root` (and root itself); returns how many."""
    fields = [root] if isinstance(root, GUARDED) else []
    fields += [w for w in root.findChildren(QWidget) if isinstance(w, GUARDED)]
    for w in fields:
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: a wheel turn does not focus it
        w.installEventFilter(_GUARD)
    return len(fields)
