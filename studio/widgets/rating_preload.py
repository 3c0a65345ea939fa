"""Decode the next images ahead of time: QImageReader in a thread pool, scaled to the view, LRU-cached."""
from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader


def decode_scaled(path: str, size: QSize) -> QImage:
    """Decode an image file straight to `size` (JPEG decodes smaller natively; PNG scales smoothly)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if size.isValid():
        reader.setScaledSize(size)
    return reader.read()


class _Signals(QObject):
    done = Signal(object, object)  # key, QImage


class _Decode(QRunnable):
    def __init__(self, key: tuple, path: str, size: QSize, signals: _Signals):
        super().__init__()
        self.key, self.path, self.size, self.signals = key, path, size, signals

    def run(self) -> None:
        self.signals.done.emit(self.key, decode_scaled(self.path, self.size))


class ImagePreloader(QObject):
    """Cache of decoded images keyed by (image_id, width, height); `ready(image_id)` after a decode."""

    ready = Signal(int)

    def __init__(self, capacity: int = 24, threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.capacity = capacity
        self.cache: OrderedDict[tuple, QImage] = OrderedDict()
        self.pending: set[tuple] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._signals = _Signals()
        self._signals.done.connect(self._store)  # queued: lands on the GUI thread
        self.hits = self.misses = 0

    def get(self, image_id: int, path: str, size: QSize) -> QImage:
        """The decoded image now: from the cache, or decoded on this thread (a miss)."""
        key = (image_id, size.width(), size.height())
        image = self.cache.get(key)
        if image is not None:
            self.cache.move_to_end(key)
            self.hits += 1
            return image
        self.misses += 1
        image = decode_scaled(path, size)
        self._put(key, image)
        return image

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

    def cached(self, image_id: int, size: QSize) -> bool:
        return (image_id, size.width(), size.height()) in self.cache

    def request(self, image_id: int, path: str, size: QSize, urgent: bool = False) -> None:
        """Decode in the background unless cached or already on its way; `urgent` jumps the queue."""
        key = (image_id, size.width(), size.height())
        if key in self.cache or key in self.pending:
            return
        self.pending.add(key)
        self.pool.start(_Decode(key, path, size, self._signals), 1 if urgent else 0)

    def _store(self, key: tuple, image: QImage) -> None:
        self.pending.discard(key)
        if not image.isNull():
            self._put(key, image)
            self.ready.emit(key[0])

    def _put(self, key: tuple, image: QImage) -> None:
        self.cache[key] = image
        self.cache.move_to_end(key)
        while len(self.cache) > self.capacity:
            self.cache.popitem(last=False)

    def clear(self) -> None:
        self.cache.clear()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until queued decodes finish (tests and shutdown)."""
        return self.pool.waitForDone(msecs)
