"""Guard against a PySide6 6.12.0 bug: on Python 3.11 every Python callback from Qt drops one reference
to `None` (measured: 2,000 QTimer → slot calls lower sys.getrefcount(None) by exactly 2,000; 6.11.3 does
not). None is not immortal before Python 3.12, so after a few thousand callbacks the process dies with
"Fatal Python error: none_dealloc". qasync runs every asyncio callback through a Qt timer, so the studio
would crash within minutes.

The real fix is a PySide6 without the bug (pin `pyside6-essentials<6.12` or a fixed release). Until then,
`install_none_guard` measures the leak at start-up and, only if there is one, tops up None's reference
count from a timer, writing the count field directly (no memory grows).
"""
from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

FLOOR = 1_000_000        # top up when None's count falls below this …
TOP_UP = 100_000_000     # … by this much (~28 h of 1,000 callbacks/s between top-ups, checked every second)


def none_refs_lost_per_callback(app: QCoreApplication, calls: int = 300) -> float:
    """How many references to None one Python slot call loses (0.0 on a healthy PySide6)."""
    done = [0]

    def tick() -> None:
        done[0] += 1

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(tick)
    before = sys.getrefcount(None)
    timer.start()
    while done[0] < calls:
        app.processEvents()
    timer.stop()
    lost = before - sys.getrefcount(None)
    return max(0.0, lost / done[0])


class NoneRefcountGuard(QObject):
    """Keeps None's reference count far from zero while a leaking PySide6 is in use."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.top_ups = 0
        self._count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field (CPython)
        self.check()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        if self._count.value < FLOOR:
            self._count.value += TOP_UP
            self.top_ups += 1


_guard: NoneRefcountGuard | None = None


def install_none_guard(app: QCoreApplication) -> NoneRefcountGuard | None:
    """Measure the leak once; on a leaking build (Python < 3.12 only) start the guard. Idempotent."""
    global _guard
    if _guard is not None or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _guard
    if none_refs_lost_per_callback(app) >= 0.5:
        _guard = NoneRefcountGuard(app)
    return _guard
