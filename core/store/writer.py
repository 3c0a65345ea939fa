"""StoreWriter: one background thread that runs write jobs in the order they were submitted.

A GUI thread must never wait on SQLite: another process (a training run) may hold the write lock
for seconds. `submit` puts the job on a queue and returns a Future at once; the job runs on this
thread, and its result or error lands in the Future. Order is kept, so "rate, then undo" from
successive key presses commits in that order.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
_STOP = object()


class StoreWriter:
    """A single daemon thread draining a queue of (future, fn, args, kwargs)."""

    def __init__(self, name: str = "store-writer"):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._closed = False
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Queue `fn(*args, **kwargs)`; the Future holds its result or its exception."""
        if self._closed:
            raise RuntimeError("this StoreWriter is closed")
        future: Future[T] = Future()
        self._queue.put((future, fn, args, kwargs))
        return future

    def pending(self) -> int:
        """Jobs queued and not yet started (approximate: the queue is shared with the thread)."""
        return self._queue.qsize()

    def close(self, timeout: float | None = None) -> None:
        """Run what is queued, then stop the thread."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue  # cancelled before it started
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as e:  # noqa: BLE001 — the caller sees it through the Future
                future.set_exception(e)
