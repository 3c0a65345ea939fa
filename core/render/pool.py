"""A pool of warm harness pages on one long-lived Chromium, refilled in the background.

`take()` hands out a page that has already loaded p5 and p5.brush; each page serves one render and is
then retired (`retire()`: terminate its script, close its context) while a replacement loads. The
browser is launched once; if it dies (crash, killed) the next `take()` launches a new one.
"""
from __future__ import annotations

import asyncio

from playwright.async_api import Browser, Playwright, async_playwright

from core.render.browser import launch
from core.render.sandbox import HarnessFiles, WarmPage, open_warm_page
from core.render.types import BrowserUnavailable


class PagePool:
    """`size` warm pages kept ready; safe to use from many coroutines of one event loop."""

    def __init__(self, size: int = 2, chromium: str | None = None, hardware_webgl: bool = False):
        self.size = max(1, size)
        self.chromium = chromium
        self.hardware_webgl = hardware_webgl
        self.launches = 0
        self._files = HarnessFiles()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._ready: asyncio.Queue[WarmPage | BaseException] = asyncio.Queue()
        self._spawning: set[asyncio.Task] = set()
        self._retiring: set[asyncio.Task] = set()
        self._launch_lock = asyncio.Lock()
        self._closing = False

    @property
    def alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    async def start(self) -> None:
        """Launch Chromium and begin loading the warm pages."""
        await self._ensure_browser()

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
        for task in list(self._spawning):
            task.cancel()
        while not self._ready.empty():
            item = self._ready.get_nowait()
            if isinstance(item, WarmPage):
                self.retire(item)
        if self._browser is not None:
            try:
                await asyncio.wait_for(self._browser.close(), 5.0)
            except Exception:
                pass
            self._browser = None

    def _top_up(self) -> None:
        while not self._closing and self._ready.qsize() + len(self._spawning) < self.size:
            task = asyncio.ensure_future(self._spawn(self._browser))
            self._spawning.add(task)
            task.add_done_callback(self._spawning.discard)

    async def _spawn(self, browser: Browser) -> None:
        try:
            wp = await open_warm_page(browser, self._files)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # handed to the next take(), which relaunches or reports it
            self._ready.put_nowait(e)
            return
        if self._closing or browser is not self._browser:
            self.retire(wp)
        else:
            self._ready.put_nowait(wp)

    async def take(self) -> WarmPage:
        """A fresh harness page for one render (waits while the pool refills)."""
        for _attempt in range(3):
            await self._ensure_browser()
            self._top_up()
            item = await self._ready.get()
            self._top_up()
            if isinstance(item, WarmPage):
                if not item.crashed and not item.closed and self.alive:
                    return item
                self.retire(item)
                continue
            if self.alive:  # the browser is fine: this page failed to load, which is a real problem
                raise BrowserUnavailable(f"a harness page failed to load: {item}")
        raise BrowserUnavailable("chromium keeps failing to open harness pages")

    def retire(self, wp: WarmPage) -> None:
        """Stop and close a used page in the background (never blocks the caller)."""
        task = asyncio.ensure_future(wp.stop())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def close(self) -> None:
        """Close every page, the browser and the Playwright driver; no Chromium is left running."""
        self._closing = True
        for task in list(self._spawning):
            task.cancel()
        if self._spawning:
            await asyncio.gather(*self._spawning, return_exceptions=True)
        while not self._ready.empty():
            item = self._ready.get_nowait()
            if isinstance(item, WarmPage):
                self.retire(item)
        if self._retiring:
            await asyncio.gather(*list(self._retiring), return_exceptions=True)
        await self._drop_browser()
        if self._pw is not None:
            try:
                await self._pw.stop()
            except Exception:
                pass
            self._pw = None
