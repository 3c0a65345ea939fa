"""Decode the next images ahead of time, off the GUI thread, scaled to the view, LRU-cached.

Nothing here decodes on the GUI thread: a picture not decoded yet is requested (urgent jumps the queue)
and `on_ready` says when it lands. Decodes run as tasks of the pane's loop awaiting `load` (the
Rate pane passes `ops.rating.load_picture`, which decodes in a thread); at most `in_flight` run at
once, so a burst of look-ahead requests never stands between a person and the image they wait for.
"""
from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from studio.panes.tasks import TaskSet

Load = Callable[[str, QSize], Awaitable[QImage]]
URGENT, AHEAD = 0, 1


class ImagePreloader:
    """Cache of decoded images keyed by (image_id, width, height); `on_ready(image_id)` after a decode.

    A callback, not a Qt signal: PySide6 6.12's Python-side emit leaks a reference (see rating_image).
    """

    def __init__(self, load: Load, capacity: int = 48, in_flight: int = 2):
        self.load = load
        self.capacity = capacity
        self.in_flight = in_flight
        self.cache: OrderedDict[tuple, QImage] = OrderedDict()
        self.pending: set[tuple] = set()  # requested and not decoded yet (queued or decoding)
        self.hits = self.misses = 0
        self.failures = 0
        self.on_ready: Callable[[int], None] | None = None
        self._queue: list[tuple[int, int, tuple, str]] = []  # heap of (priority, order, key, path)
        self._decoding: set[tuple] = set()
        self._seq = itertools.count()
        self._tasks = TaskSet(self._failed)

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

    @property
    def idle(self) -> bool:
        """Nothing requested is still on its way (tests and benchmarks wait on this)."""
        return not self.pending

    def request(self, image_id: int, path: str, size: QSize, urgent: bool = False) -> None:
        """Decode in the background unless cached or decoding; `urgent` jumps the queue (also for an
        image already queued behind others)."""
        key = (image_id, size.width(), size.height())
        if key in self.cache or key in self._decoding or (key in self.pending and not urgent):
            return
        self.pending.add(key)
        heapq.heappush(self._queue, (URGENT if urgent else AHEAD, next(self._seq), key, path))
        self._start()

    def _start(self) -> None:
        while len(self._decoding) < self.in_flight and self._queue:
            _, _, key, path = heapq.heappop(self._queue)
            if key not in self.pending or key in self._decoding:
                continue  # queued twice (an urgent request came later) and already taken
            self._decoding.add(key)
            self._tasks.spawn(self._decode(key, path))

    async def _decode(self, key: tuple, path: str) -> None:
        try:
            image = await self.load(path, QSize(key[1], key[2]))
        finally:
            self._decoding.discard(key)
            self.pending.discard(key)
        if image.isNull():
            self.failures += 1
        else:
            self._put(key, image)
            if self.on_ready is not None:
                self.on_ready(key[0])
        self._start()

    def _failed(self, error: BaseException) -> None:
        # A decode that raised (not a file that would not decode: that is a null image) must not stall the queue.
        self.failures += 1
        self._start()

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
        """No more callbacks (the owner is going away); queued decodes are dropped, running ones cancelled."""
        self.on_ready = None
        self._queue.clear()
        self.pending.clear()
        self._tasks.cancel_all()
