"""The installed PySide6 must not leak references per Python callback.

PySide6 6.12.0 on Python 3.11 dropped one reference to None per void call and one to True per
Signal.emit; None and True are not immortal before 3.12, so the studio aborted with
"Fatal Python error: none_dealloc" after a few thousand events. pyproject pins <6.12; this test
fails loudly if a bad release comes back.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_no_reference_leak_per_callback(qapp):
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(3000):
        qapp.processEvents()
        emitter.fired.emit()
    # A healthy binding is exact; allow a little slack for unrelated objects created meanwhile.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
