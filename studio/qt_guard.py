"""Guard against a PySide6 6.12.0 bug: on Python 3.11 every Python callback from Qt drops one reference
to `None` (measured: 2,000 QTimer → slot calls lower sys.getrefcount(None) by exactly 2,000; 6.11.3 does
not), and every Signal.emit one to `True`. Neither is immortal before Python 3.12, so after a few thousand
callbacks the process dies with "Fatal Python error: none_dealloc". qasync runs every asyncio callback
through a Qt timer, so the studio would crash within minutes.

The real fix is a PySide6 without the bug (pyproject pins `<6.12`; tests/studio/test_qt_binding_sanity.py
fails on a bad build). Should one be installed anyway, `install_none_guard` measures the leak at start-up
and, only if there is one, tops up the reference counts from a timer, writing the count field directly
(no memory grows).
"""
from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

FLOOR = 1_000_000        # top up when None's count falls below this …
TOP_UP = 100_000_000     # … by this much (~28 h of 1,000 callbacks/s between top-ups, checked every second)


def none_refs_lost_per_callback(app: QCoreApplication, calls: int = 200) -> float:
    """References to None lost per Python slot call (0.0 on a healthy PySide6).

    Only None is probed: True has far fewer references in a small process, and probing it could itself
    kill the process. A build that leaks None here is the one that also leaks True on Signal.emit.
    """
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
    return max(0.0, (before - sys.getrefcount(None)) / done[0])


class NoneRefcountGuard(QObject):
    """Keeps the reference counts of None, True and False far from zero while a leaking PySide6 is in use."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.top_ups = 0
        # ob_refcnt is the first field of every CPython object.
        self._counts = [ctypes.c_ssize_t.from_address(id(obj)) for obj in (None, True, False)]
        self.check()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        for count in self._counts:
            if count.value < FLOOR:
                count.value += TOP_UP
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
