"""A heartbeat on the GUI thread: a short QTimer whose gaps between ticks show how long the thread stalled.

The gaps also hold the time the OS did not schedule us (a loaded machine), so a bound on them is loose.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class GuiHeartbeat:
    """Ticks every `interval_ms` once started; `gaps` holds the time (ms) between ticks, the first from start()."""

    def __init__(self, interval_ms: int = 10):
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer(interval=interval_ms, timeout=self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
