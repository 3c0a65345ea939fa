"""A pool of warm harness pages on one long-lived, jailed Chromium; each page serves one render.

The pool owns `size` pages. `take()` hands out one whose fresh harness document, in a browser context of
its own, has already parsed p5 and p5.brush (and, with `prewarm`, started p5 on a hot WEBGL canvas);
after the render `give_back()` closes it (context and all) in the background and opens a replacement.
A sketch the hot canvas cannot serve (P2D, another pixel density, setAttributes) is given a second,
brand-new page where p5 starts the ordinary way: `take(cold=True)`, from one spare cold page the pool
keeps loaded once the first such sketch has asked for one (never a reload of the sketch's own page). The browser runs in its jail (jail.py: no network, memory
cap). If it dies, hangs (`kill()`: the watchdog), or the Playwright driver itself dies, the next
`take()` starts a new driver and browser. `close()` returns only when every browser process is gone,
and the pool can be started again afterwards.
"""
from __future__ import annotations

import asyncio

from playwright.async_api import Browser, Playwright, async_playwright

from core.render.browser import find_chromium, launch
from core.render.jail import Jail
from core.render.sandbox import HarnessFiles, WarmPage, open_warm_page
from core.render.types import BrowserUnavailable


class PagePool:
    """`size` harness pages on one browser; safe to use from many coroutines of one event loop."""

    def __init__(self, size: int = 2, chromium: str | None = None, hardware_webgl: bool = False,
                 prewarm: bool = True, memory_mb: int | None = None):
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.prewarm = prewarm
        self.chromium = chromium
        self.hardware_webgl = hardware_webgl
        self.launches = 0
        self.pages_opened = 0
        self._loading = 0            # page loads in flight
        self._progress_at = 0.0      # last page opened, browser launched, or load started on an idle pool
        self.jail: Jail | None = None
        self._files = HarnessFiles()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._ready: asyncio.Queue[WarmPage | BaseException] = asyncio.Queue()
        self._ready_cold: asyncio.Queue[WarmPage | BaseException] = asyncio.Queue()
        self._owned = 0                          # pages ready, rendering, reloading or loading
        self._owned_cold = 0                     # the same for the cold spare
        self._cold_wanted = 0                    # cold spares to keep: 1 once a sketch has needed one
        self._tasks: set[asyncio.Task] = set()   # background loads and closes
        self._launch_lock = asyncio.Lock()
        self._spawn_lock = asyncio.Lock()
        self._closing = False

    @property
    def alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    def stalled_for(self) -> float:
        """Seconds the pool has worked without opening a page (the watchdog blames a browser only then)."""
        return asyncio.get_running_loop().time() - self._progress_at

    def _progress(self) -> None:
        self._progress_at = asyncio.get_running_loop().time()

    @property
    def ready_count(self) -> int:
        return sum(1 for item in self._ready._queue if isinstance(item, WarmPage))  # noqa: SLF001

    async def start(self) -> None:
        """Launch Chromium and begin loading the pages (again, after close())."""
        self._closing = False
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
            if self.jail is None:
                self.jail = Jail(find_chromium(self.chromium), self.memory_mb)
            for attempt in range(2):
                if self._pw is None:
                    self._pw = await async_playwright().start()
                try:
                    self._browser = await asyncio.wait_for(
                        launch(self._pw, self.chromium, self.hardware_webgl, wrapper=str(self.jail.wrapper)), 60)
                    break
                except (BrowserUnavailable, TimeoutError):
                    # A dead or stuck Playwright driver fails every launch: start a new one and retry once.
                    await self._stop_driver()
                    if attempt:
                        raise
            self.launches += 1
            self._progress()
            self._top_up()
            return self._browser

    async def _drop_browser(self, killed: bool = False) -> None:
        """Forget a dead browser and every page that belonged to it (`killed`: its processes are gone
        already, so Playwright is not asked to close it: the driver sees its pipe close by itself)."""
        for queue in (self._ready, self._ready_cold):
            while not queue.empty():
                item = queue.get_nowait()
                if isinstance(item, WarmPage):
                    self._forget(item)
                    self._background(item.stop())
        known = await asyncio.to_thread(self.jail.processes) if self.jail is not None else []
        if self._browser is not None:
            browser, self._browser = self._browser, None
            if not killed:
                try:
                    await asyncio.wait_for(browser.close(), 5.0)
                except Exception:
                    pass
        if self.jail is not None:
            await asyncio.to_thread(self.jail.reap, 3.0, known)

    async def _stop_driver(self) -> None:
        if self._pw is not None:
            try:
                await asyncio.wait_for(self._pw.stop(), 5.0)
            except Exception:  # a dead driver cannot be asked to stop
                pass
            self._pw = None

    async def kill(self, driver: bool = False) -> None:
        """The watchdog: kill the whole browser tree at once (a hung GPU process, a renderer that ignores
        terminateExecution), with the Playwright driver when it is suspect too (`driver`), and launch a
        new browser right away in the background (the next take() waits for it or reports why not).

        A healthy driver is kept: starting one costs as much as launching the browser. A dead one fails
        the next launch at once, and _ensure_browser then starts a new driver."""
        if self.jail is not None:
            self.jail.kill_tree()
        async with self._launch_lock:
            await self._drop_browser(killed=True)
            if driver:
                await self._stop_driver()
        if not self._closing:
            self._background(self._relaunch())

    async def _relaunch(self) -> None:
        try:
            await self._ensure_browser()
        except Exception:  # take() launches again and reports the error to the render that waits
            pass

    def _is_spare(self, wp: WarmPage) -> bool:
        """A cold spare (as opposed to one of the `size` pages, cold themselves when not prewarmed)."""
        return wp.cold and self.prewarm

    def _forget(self, wp: WarmPage) -> None:
        self._unown(self._is_spare(wp))

    def _unown(self, spare: bool) -> None:
        if spare:
            self._owned_cold -= 1
        else:
            self._owned -= 1

    def _top_up(self) -> None:
        while not self._closing and self.alive and self._owned < self.size:
            self._owned += 1
            self._background(self._spawn(self._browser, spare=False))
        while not self._closing and self.alive and self._owned_cold < self._cold_wanted:
            self._owned_cold += 1
            self._background(self._spawn(self._browser, spare=True))

    async def _spawn(self, browser: Browser, spare: bool) -> None:
        if self._loading == 0:
            self._progress()  # a pool that was idle starts working now: its stall clock starts here
        self._loading += 1
        queue = self._ready_cold if spare else self._ready
        try:
            wp = await open_warm_page(browser, self._files, prewarm=self.prewarm and not spare, jail=self.jail,
                                      spawn_lock=self._spawn_lock)
        except asyncio.CancelledError:
            self._unown(spare)
            raise
        except Exception as e:  # handed to the next take(), which relaunches or reports it
            self._unown(spare)
            if browser is not self._browser:  # that browser was killed or closed meanwhile: not news
                self._top_up()
                return
            queue.put_nowait(e)
            return
        finally:
            self._loading -= 1
        self.pages_opened += 1
        self._progress()
        if self._closing or browser is not self._browser or not self.alive:
            self._forget(wp)
            self._background(wp.stop())
            self._top_up()  # for the browser that replaced this one, if any
        else:
            queue.put_nowait(wp)

    async def take(self, cold: bool = False) -> WarmPage:
        """A harness page for one render (waits while pages load); `cold`: one where p5 has not started."""
        last_error: BaseException | None = None
        spare = cold and self.prewarm
        if spare and self._cold_wanted == 0:
            self._cold_wanted = 1
            self._top_up()
        queue = self._ready_cold if spare else self._ready
        for _attempt in range(3):
            await self._ensure_browser()
            item = await queue.get()
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
        """After a render: close the page's whole context in the background and open a fresh one."""
        wp.used = True
        self._discard(wp)

    def _discard(self, wp: WarmPage) -> None:
        """Close a page for good and load a replacement."""
        self._forget(wp)
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
        await self._stop_driver()
        self._owned = self._owned_cold = self._cold_wanted = 0
        self._ready = asyncio.Queue()      # fresh ones: a later start() may run on another event loop
        self._ready_cold = asyncio.Queue()
        self._launch_lock = asyncio.Lock()
        self._spawn_lock = asyncio.Lock()
        if self.jail is not None:
            await asyncio.to_thread(self.jail.remove)
            self.jail = None
