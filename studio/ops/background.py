"""Core calls off the GUI thread for panes that run on Qt alone (no asyncio task needed): a serial worker.

`SerialWorker` runs submitted calls one after another on its own thread, so a rating and the undo
that follows it reach SQLite in the order the keys were pressed, and hands each result back to the
GUI thread through a queue that a short QTimer drains. A key press therefore only puts a call on a
queue: when another process holds the database's write lock for seconds, the commit waits in the
worker, never in the GUI. (Cross-thread Qt signals carrying Python objects crashed PySide6 6.12
after a few hundred emits; a queue cannot.)
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

POLL_MS = 4  # how often the GUI thread collects finished calls while any are pending

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class SerialWorker(QObject):
    """One thread running calls in submission order; `on_done(result)` / `on_error(exc)` run on the GUI thread."""

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.pending = 0
        self.last_error: BaseException | None = None
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, daemon=True, name=name)
        self._thread.start()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.collect)
        work = self._work  # not self: the slot outlives the dying object
        self.destroyed.connect(lambda *_: work.put(None))

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Done | None = None,
               on_error: Failed | None = None) -> None:
        """Queue `fn(*args)`; returns at once (never waits for the database)."""
        self.pending += 1
        self._work.put((fn, args, on_done, on_error))
        if not self._timer.isActive():
            self._timer.start()

    @property
    def idle(self) -> bool:
        """Nothing queued, running, or waiting to be delivered."""
        return self.pending == 0

    def collect(self) -> None:
        """Deliver finished calls (GUI thread; the timer calls this)."""
        while True:
            try:
                result, error, on_done, on_error = self._done.get_nowait()
            except queue.Empty:
                break
            self.pending -= 1
            if error is not None:
                self.last_error = error
                if on_error is not None:
                    on_error(error)
            elif on_done is not None:
                on_done(result)
        if self.pending == 0:
            self._timer.stop()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued call has run and been delivered (tests and shutdown only)."""
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            self.collect()
            time.sleep(0.002)
        return self.pending == 0

    def stop(self) -> None:
        """End the thread after the calls already queued (their results are no longer delivered)."""
        self._timer.stop()
        self._work.put(None)

    def _run(self) -> None:
        while True:
            item = self._work.get()
            if item is None:
                return
            fn, args, on_done, on_error = item
            try:
                self._done.put((fn(*args), None, on_done, on_error))
            except BaseException as e:  # noqa: BLE001 (handed to the GUI thread, never lost)
                self._done.put((None, e, on_done, on_error))
