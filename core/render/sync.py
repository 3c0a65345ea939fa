"""`SyncRenderer`: the async Renderer driven from blocking code through its own event-loop thread."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from core.render.renderer import Renderer
from core.render.types import RenderResult


class SyncRenderer:
    """Same API as Renderer, blocking; a context manager. Thread-safe: calls queue onto the pool."""

    def __init__(self, pool_size: int = 2, chromium: str | None = None, hardware_webgl: bool = False, store=None,
                 memory_mb: int | None = None):
        self.renderer = Renderer(pool_size=pool_size, chromium=chromium, hardware_webgl=hardware_webgl, store=store,
                                 memory_mb=memory_mb)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _call(self, coro: Coroutine) -> Any:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="brushwork-render", daemon=True)
            self._thread.start()
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()  # e.g. KeyboardInterrupt: the render is cancelled, its page recycled
            raise

    def start(self) -> None:
        """Launch Chromium and warm the pool (raises BrowserUnavailable)."""
        self._call(self.renderer.start())

    def render(self, code: str, seed: int = 0, size: int | tuple[int, int] = 512, timeout: float = 10.0,
               pixel_density: float = 1.0, use_cache: bool = True, frames: int = 1) -> RenderResult:
        """Render one sketch to PNG (blocking)."""
        return self._call(self.renderer.render(code, seed=seed, size=size, timeout=timeout,
                                               pixel_density=pixel_density, use_cache=use_cache, frames=frames))

    def wait_warm(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until `count` pages are warm; False on timeout."""
        return self._call(self.renderer.wait_warm(count, timeout))

    def close(self) -> None:
        """Close the browser and stop the loop thread."""
        if self._loop is None:
            return
        try:
            self._call(self.renderer.close())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
            self._loop = self._thread = None

    def __enter__(self) -> SyncRenderer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
