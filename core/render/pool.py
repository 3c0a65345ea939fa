"""A pool of warm harness pages on one long-lived Chromium, recycled in the background.

The pool owns `size` pages. `take()` hands out one whose fresh harness document has already parsed
p5 and p5.brush; after the render, `give_back()` reloads it in the background (new document, storage
wiped — see sandbox.py) and returns it to the ready queue, or replaces it if it crashed or is worn out.
The browser is launched once; if it dies (crash, killed) the next `take()` launches a new one.
"""
from __future__ import annotations

import asyncio

from playwright.async_api import Browser, Playwright, async_playwright

from core.render.browser import launch
from core.render.sandbox import HarnessFiles, WarmPage, load_harness, open_warm_page
from core.render.types import BrowserUnavailable


class PagePool:
    """`size` harness pages on one browser; safe to use from many coroutines of one event loop."""

    def __init__(self, size: int = 2, chromium: str | None = None, hardware_webgl: bool = False,
                 prewarm: bool = True):
        self.size = max(1, size)
        self.prewarm = prewarm
        self.chromium = chromium
        self.hardware_webgl = hardware_webgl
        self.launches = 0
        self._files = HarnessFiles()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._ready: asyncio.Queue[WarmPage | BaseException] = asyncio.Queue()
        self._owned = 0                          # pages ready, rendering, reloading or loading
        self._tasks: set[asyncio.Task] = set()   # background loads and closes
        self._launch_lock = asyncio.Lock()
        self._closing = False

    @property
    def alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    @property
    def ready_count(self) -> int:
        return sum(1 for item in self._ready._queue if isinstance(item, WarmPage))  # noqa: SLF001

    async def start(self) -> None:
        """Launch Chromium and begin loading the pages."""
        await self._ensure_browser()

    async def wait_ready(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Wait until `count` pages are warm (for benchmarks and tests); False on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.ready_count < min(count, self.size):
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    def _background(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ensure_browser(self) -> Browser:
        async with self._launch_lock:
            if self.alive:
                return self._browser
            await self._drop_browser()
            if self._pw is None:
                self._pw = await async_playwright().start()
            self._browser = await launch(self._pw, self.chromium, self.hardware_webgl)
            self.launches += 1
            self._top_up()
            return self._browser

    async def _drop_browser(self) -> None:
        """Forget a dead browser and every page that belonged to it."""
        while not self._ready.empty():
            item = self._ready.get_nowait()
            if isinstance(item, WarmPage):
                self._owned -= 1
                self._background(item.stop())
        if self._browser is not None:
            try:
                await asyncio.wait_for(self._browser.close(), 5.0)
            except Exception:
                pass
            self._browser = None

    def _top_up(self) -> None:
        while not self._closing and self.alive and self._owned < self.size:
            self._owned += 1
            self._background(self._spawn(self._browser))

    async def _spawn(self, browser: Browser) -> None:
        try:
            wp = await open_warm_page(browser, self._files, prewarm=self.prewarm)
        except asyncio.CancelledError:
            self._owned -= 1
            raise
        except Exception as e:  # handed to the next take(), which relaunches or reports it
            self._owned -= 1
            self._ready.put_nowait(e)
            return
        self._release_or_keep(wp, browser)

    def _release_or_keep(self, wp: WarmPage, browser: Browser) -> None:
        if self._closing or browser is not self._browser or not self.alive:
            self._owned -= 1
            self._background(wp.stop())
        else:
            self._ready.put_nowait(wp)

    async def take(self) -> WarmPage:
        """A warm harness page for one render (waits while pages reload)."""
        last_error: BaseException | None = None
        for _attempt in range(3):
            await self._ensure_browser()
            item = await self._ready.get()
            if isinstance(item, WarmPage):
                if item.usable() and self.alive:
                    return item
                self._discard(item)
                continue
            # A page failed to load on a live browser (e.g. its load was interrupted): load a
            # replacement and try again, so one bad load never leaves the pool short for good.
            last_error = item
            self._top_up()
        raise BrowserUnavailable(f"chromium keeps failing to open harness pages: {last_error}")

    def give_back(self, wp: WarmPage) -> None:
        """After a render: reload the page in the background (or replace it); never blocks."""
        if not wp.usable() or self._closing or not self.alive:
            self._discard(wp)
            return
        self._background(self._reload(wp, self._browser))

    async def _reload(self, wp: WarmPage, browser: Browser) -> None:
        try:
            await load_harness(wp, prewarm=self.prewarm)
        except asyncio.CancelledError:
            self._discard(wp)
            raise
        except Exception:  # e.g. the page crashed while reloading: replace it
            self._discard(wp)
            return
        self._release_or_keep(wp, browser)

    def _discard(self, wp: WarmPage) -> None:
        """Close a page for good and load a replacement."""
        self._owned -= 1
        self._background(wp.stop())
        self._top_up()

    async def close(self) -> None:
        """Close every page, the browser and the Playwright driver; no Chromium is left running."""
        self._closing = True
        for task in list(self._tasks):
            if not task.done():
                task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._drop_browser()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._pw is not None:
            try:
                await self._pw.stop()
            except Exception:
                pass
            self._pw = None
