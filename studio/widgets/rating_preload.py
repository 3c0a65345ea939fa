"""Decode the next images ahead of time: QImageReader on worker threads, scaled to the view, LRU-cached.

Nothing here decodes on the GUI thread: a picture not decoded yet is requested (urgent jumps the queue)
and `on_ready` says when it lands.

Workers are plain Python threads (QImage and QImageReader are reentrant) that hand results back
through a queue the GUI thread drains on a short timer. Cross-thread Qt signals carrying Python
objects crashed PySide6 6.12 here ("none_dealloc") after a few hundred decodes; a queue cannot.
"""
from __future__ import annotations

import itertools
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtGui import QImage, QImageReader

NICE = 10          # decoder threads yield the CPU to the GUI thread (Linux: per-thread nice)
POLL_MS = 4        # how often the GUI thread collects finished decodes while any are pending


def decode_scaled(path: str, size: QSize) -> QImage:
    """Decode an image file straight to `size` (JPEG decodes smaller natively; PNG scales smoothly)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if size.isValid():
        reader.setScaledSize(size)
    return reader.read()


def _lower_thread_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except (AttributeError, OSError):
        pass  # not Linux, or not allowed: decoding still works, just at normal priority


class ImagePreloader(QObject):
    """Cache of decoded images keyed by (image_id, width, height); `on_ready(image_id)` after a decode.

    A callback, not a Qt signal: PySide6 6.12's Python-side emit leaks a reference (see rating_image).
    """

    def __init__(self, capacity: int = 48, threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.capacity = capacity
        self.cache: OrderedDict[tuple, QImage] = OrderedDict()
        self.pending: set[tuple] = set()
        self.hits = self.misses = 0
        self.on_ready: Callable[[int], None] | None = None
        self._work: queue.PriorityQueue = queue.PriorityQueue()
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self._seq = itertools.count()
        self._threads = [threading.Thread(target=self._worker, daemon=True, name=f"rating-decode-{i}")
                         for i in range(threads)]
        for t in self._threads:
            t.start()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._collect)
        work, seq, n = self._work, self._seq, threads  # not self: the slot outlives the dying object
        self.destroyed.connect(lambda *_: [work.put((-1, next(seq), None, "")) for _ in range(n)])

    # -- GUI thread ---------------------------------------------------------------------------
    def peek(self, image_id: int, size: QSize) -> QImage | None:
        """The decoded image if it is cached (counted as a hit), else None (counted as a miss)."""
        key = (image_id, size.width(), size.height())
        image = self.cache.get(key)
        if image is None:
            self.misses += 1
            return None
        self.cache.move_to_end(key)
        self.hits += 1
        return image

    def peek_thumbnail(self, image_id: int) -> QImage | None:
        """The image's small stand-in (its pool thumbnail at natural size) if it is decoded, else None."""
        return self.cache.get((image_id, -1, -1))

    def request_thumbnail(self, image_id: int, path: str) -> None:
        """Decode the image's thumbnail file in the background (a stand-in while the full one decodes)."""
        self.request(image_id, path, QSize(-1, -1))

    def cached(self, image_id: int, size: QSize) -> bool:
        return (image_id, size.width(), size.height()) in self.cache

    def request(self, image_id: int, path: str, size: QSize, urgent: bool = False) -> None:
        """Decode in the background unless cached or already on its way; `urgent` jumps the queue."""
        key = (image_id, size.width(), size.height())
        if key in self.cache or key in self.pending:
            return
        self.pending.add(key)
        self._work.put((0 if urgent else 1, next(self._seq), key, path))
        if not self._timer.isActive():
            self._timer.start()

    def _collect(self) -> None:
        ready = []
        while True:
            try:
                key, image = self._done.get_nowait()
            except queue.Empty:
                break
            self.pending.discard(key)
            if not image.isNull():
                self._put(key, image)
                ready.append(key[0])
        if not self.pending:
            self._timer.stop()
        for image_id in ready:
            if self.on_ready is not None:
                self.on_ready(image_id)

    def _put(self, key: tuple, image: QImage) -> None:
        self.cache[key] = image
        self.cache.move_to_end(key)
        while len(self.cache) > self.capacity:
            self.cache.popitem(last=False)

    def clear(self, keep_thumbnails: bool = False) -> None:
        """Forget decoded images (all, or all but the small stand-ins)."""
        if not keep_thumbnails:
            self.cache.clear()
            return
        for key in [k for k in self.cache if k[1] != -1]:
            del self.cache[key]

    def stop(self) -> None:
        """No more callbacks (the owner is going away); decodes in flight are dropped."""
        self.on_ready = None
        self._timer.stop()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until queued decodes finish and are collected (tests and shutdown)."""
        self._work.join()
        self._collect()
        return not self.pending

    # -- worker threads -----------------------------------------------------------------------
    def _worker(self) -> None:
        _lower_thread_priority()
        while True:
            _, _, key, path = self._work.get()
            try:
                if key is None:
                    return
                self._done.put((key, decode_scaled(path, QSize(key[1], key[2]))))
            finally:
                self._work.task_done()
